using System.Text.Json;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;
using Pipeline.Editing.Outputs;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary>Writes a job's items as folders: each PNG render the stages stored (<c>input.png</c>, <c>inversion.png</c>,
/// <c>edited-1.png</c>…, <c>mask.png</c>, <c>coarse.png</c>, <c>final.png</c>, each checked against its SHA-256) and
/// <c>item.json</c> with the item's state and, for a failed item, its stage and reason. Shared by
/// <c>pipeline jobs download</c> and <c>pipeline submit --out</c>.</summary>
public static class JobDownload
{
    // item.json is a file for people and tools, never embedded in HTML: reasons keep their characters (×, quotes).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>What item.json holds.</summary>
    public sealed record ItemRecord(Guid JobId, int Index, Guid ItemId, string State, string? FailedStage, string? FailureReason,
        IReadOnlyDictionary<string, string> Images);

    /// <summary>Downloads every item, showing progress; <paramref name="folderOf"/> names an item's folder. Returns the
    /// items written.</summary>
    public static async Task<int> WriteAllAsync(CoordinatorClient client, Guid jobId, DirectoryInfo output, Func<int, string> folderOf,
        CancellationToken cancellationToken)
    {
        output.Create();
        var items = await client.ListAllItemsAsync(jobId, cancellationToken);
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("downloading", maxValue: Math.Max(1, items.Count));
                foreach (var item in items)
                {
                    await WriteItemAsync(client, jobId, item, Path.Combine(output.FullName, folderOf(item.Index)), cancellationToken);
                    task.Increment(1);
                }
                task.Value = task.MaxValue;
            });
        return items.Count;
    }

    public static async Task WriteItemAsync(CoordinatorClient client, Guid jobId, ItemSummary item, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var images = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var outputs = await client.GetOutputsAsync(jobId, item.Index, cancellationToken);
        foreach (var (role, png) in outputs?.Pngs ?? new Dictionary<string, Contracts.BlobRef>())
        {
            var file = $"{role}.png";
            await File.WriteAllBytesAsync(Path.Combine(folder, file), await client.DownloadAsync(png, cancellationToken), cancellationToken);
            images[role] = file;
        }
        var record = new ItemRecord(jobId, item.Index, item.ItemId, item.State, item.FailedStage, item.FailureReason, images);
        await File.WriteAllTextAsync(Path.Combine(folder, ItemOutputFolder.ProvenanceFile), JsonSerializer.Serialize(record, Json), cancellationToken);
    }

    /// <summary>An item's folder when nothing better names it.</summary>
    public static string IndexFolder(int index) => $"item-{index:D6}";
}
