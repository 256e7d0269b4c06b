using System.CommandLine;
using System.Globalization;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;
using Pipeline.Editing.Imaging;
using Pipeline.Editing.Outputs;
using Pipeline.Hosting.Workers;
using Pipeline.Workers.Method;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary><c>pipeline submit --coordinator URL --input DIR --edit attr=strength … [--wait --out DIR]</c>: uploads a
/// folder of images to a running coordinator, submits one job, and with <c>--wait</c> shows its progress and
/// downloads every item's PNG renders into a folder per input image (<see cref="JobDownload"/>). Every entry of the folder gets a line:
/// one that is no image file (<see cref="InputFolder"/>) or whose header the reader refuses is named with its reason
/// and not uploaded.</summary>
public static class SubmitCommand
{
    public const string ApiKeyVariable = "PIPELINE_API_KEY";
    /// <summary>How often a waiting client asks for the job's status.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "coordinator base URL, e.g. http://127.0.0.1:5080", Required = true };
        var apiKey = new Option<string?>("--api-key") { Description = $"API key (default: ${ApiKeyVariable})" };
        var input = new Option<DirectoryInfo>("--input") { Description = "folder of PNG/JPEG images", Required = true };
        var edits = new Option<string[]>("--edit")
        {
            Description = "an edit attribute=strength, applied in the order given (repeat for a chain)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var seed = new Option<int>("--seed") { Description = "seed for the stages", DefaultValueFactory = _ => 0 };
        var maxInFlight = new Option<int?>("--max-in-flight") { Description = "items in flight at once (default: the coordinator's)" };
        var wait = new Option<bool>("--wait") { Description = "wait for the job, showing progress" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "with --wait: a folder per image with its PNGs (input, inversion, edited, mask, coarse, final) and item.json" };
        var align = new Option<bool>("--align") { Description = "photos of any size: faces aligned here, edited by the cluster, pasted back here (needs --wait, --out and --models; docs/faces.md)" };
        var models = new Option<string>("--models") { Description = "with --align: the workers' model pack (its size and hashes)", DefaultValueFactory = _ => EditCommand.DefaultModels };
        var faces = new FaceArguments();
        var cmd = new Command("submit", "send a folder of images to a running coordinator as one job")
        {
            coordinator, apiKey, input, edits, seed, maxInFlight, wait, output, align, models,
        };
        faces.AddTo(cmd);
        cmd.SetAction((parse, cancellationToken) => parse.GetValue(align)
            ? RunAligned(parse.GetValue(coordinator)!, parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable), parse.GetValue(input)!,
                parse.GetValue(edits)!, parse.GetValue(seed), parse.GetValue(wait), parse.GetValue(output), parse.GetValue(models)!, () => faces.Read(parse))
            : RunAsync(new SubmitRequest(
            parse.GetValue(coordinator)!,
            parse.GetValue(apiKey) ?? Environment.GetEnvironmentVariable(ApiKeyVariable),
            parse.GetValue(input)!,
            parse.GetValue(edits)!,
            parse.GetValue(seed),
            parse.GetValue(maxInFlight),
            parse.GetValue(wait),
            parse.GetValue(output)), cancellationToken));
        return cmd;
    }

    public sealed record SubmitRequest(string Coordinator, string? ApiKey, DirectoryInfo Input, string[] Edits, int Seed, int? MaxInFlight,
        bool Wait, DirectoryInfo? Output);

    public static async Task<int> RunAsync(SubmitRequest request, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(request.Coordinator, UriKind.Absolute, out var coordinator) || coordinator.Scheme is not ("http" or "https"))
            return Refuse($"--coordinator '{request.Coordinator}' is not an http(s) URL");
        if (string.IsNullOrWhiteSpace(request.ApiKey))
            return Refuse($"an API key is needed: --api-key or ${ApiKeyVariable}");
        if (!request.Input.Exists)
            return Refuse($"{request.Input.FullName} does not exist");
        if (!TryParseEdits(request.Edits, out var edits, out var problem))
            return Refuse(problem);
        var entries = InputFolder.List(request.Input.FullName, ImageLimits.Default).ToList();
        if (entries.Count == 0)
            return Refuse($"{request.Input.FullName} is empty");

        using var client = new CoordinatorClient(coordinator, request.ApiKey);
        try
        {
            var (images, items, refused) = await UploadAsync(client, entries, cancellationToken);
            if (items.Count == 0)
                return Refuse($"{request.Input.FullName} holds no {ImageFormats.Supported} image");
            var accepted = await client.SubmitAsync(new SubmitJobRequest(items, edits, new JobOptions(request.Seed, false), request.MaxInFlight),
                cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"job [bold]{accepted.JobId}[/]: {accepted.Total} items submitted");
            if (!request.Wait)
                return ExitCodes.Ok;
            var status = await WaitAsync(client, accepted.JobId, accepted.Total, cancellationToken);
            var failed = await ReportFailuresAsync(client, accepted.JobId, images, cancellationToken);
            if (request.Output is not null)
                await DownloadAsync(client, accepted.JobId, images, request.Output, cancellationToken);
            AnsiConsole.MarkupLineInterpolated($"{status.State}: {status.Completed} completed, {status.Failed} failed, {status.Cancelled} cancelled");
            return failed == 0 && refused == 0 && status.Cancelled == 0 ? ExitCodes.Ok : ExitCodes.PartialFailure;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"submit: the coordinator answered: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// <c>submit --align</c>: the photos' faces are aligned here, sent to the coordinator as one job of aligned faces, and
    /// pasted back here when it finishes, the path of <c>pipeline edit --align --coordinator URL</c>: the cluster never
    /// sees a photo. The output is an item folder per photo (final.png at the photo's size, a folder per face, item.json).
    /// </summary>
    static Task<int> RunAligned(string coordinator, string? apiKey, DirectoryInfo input, string[] edits, int seed, bool wait, DirectoryInfo? output,
        string models, Func<Pipeline.Faces.FaceOptions> faces)
    {
        try
        {
            if (!wait || output is null)
                return Task.FromResult(Refuse("--align pastes the edited faces back when the job ends: give --wait and --out"));
            if (seed < 0)
                return Task.FromResult(Refuse($"--seed {seed} is negative"));
            var target = Engines.EngineTarget.Parse(null, coordinator, apiKey);
            var chain = edits.Select(Pipeline.Editing.Method.AttributeEdit.Parse).ToList();
            return Task.FromResult(EditCommand.Run(input.FullName, chain, null, models, output.FullName,
                new Pipeline.Editing.Method.MethodOptions { Seed = (ulong)seed }, Pipeline.Editing.Imaging.SizeMode.Refuse, target, faces()));
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                                       or HttpRequestException)
        {
            return Task.FromResult(Refuse(e.Message));
        }
    }

    public static bool TryParseEdits(string[] values, out List<EditSpec> edits, out string problem)
    {
        edits = [];
        problem = "";
        foreach (var value in values)
        {
            var parts = value.Split('=', 2);
            if (parts.Length != 2 || parts[0].Length == 0
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var strength))
            {
                problem = $"--edit '{value}' is not attribute=strength (e.g. smile=1)";
                return false;
            }
            edits.Add(new EditSpec(parts[0], strength));
        }
        return true;
    }

    /// <summary>Uploads the entries that are images, one at a time; the others are named with their reason.</summary>
    private static async Task<(List<FileInfo> Images, List<JobItemSpec> Items, int Refused)> UploadAsync(CoordinatorClient client,
        List<InputEntry> entries, CancellationToken cancellationToken)
    {
        var images = new List<FileInfo>();
        var items = new List<JobItemSpec>();
        var refused = 0;
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("uploading", maxValue: entries.Count);
            foreach (var entry in entries)
            {
                task.Increment(1);
                var reason = entry.Refusal;
                byte[]? bytes = null;
                if (reason is null)
                {
                    try
                    {
                        bytes = await File.ReadAllBytesAsync(entry.Path, cancellationToken);
                        ImageReader.Check(bytes, entry.FileName, DecodeTarget.Full);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageDecodeException)
                    {
                        reason = ImageDecodeException.ReasonOf(e);
                    }
                }
                if (entry.Skipped)
                {
                    AnsiConsole.MarkupLineInterpolated($"[grey]skipped[/] {entry.FileName}: {reason}");
                    continue;
                }
                if (reason is not null)
                {
                    refused++;
                    AnsiConsole.MarkupLineInterpolated($"[red]refused[/] {entry.FileName}: {reason}");
                    continue;
                }
                var contentType = Path.GetExtension(entry.Path).Equals(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg";
                items.Add(new JobItemSpec(await client.UploadAsync(bytes!, contentType, cancellationToken)));
                images.Add(new FileInfo(entry.Path));
            }
        });
        return (images, items, refused);
    }

    private static async Task<JobStatus> WaitAsync(CoordinatorClient client, Guid jobId, int total, CancellationToken cancellationToken)
    {
        JobStatus? final = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("processing", maxValue: total);
                final = await client.WaitAsync(jobId, new Progress<JobStatus>(status =>
                {
                    task.Value = status.Completed + status.Failed + status.Cancelled;
                    task.Description = $"{status.Completed} done, {status.Failed} failed, {status.InFlight} in flight";
                }), PollInterval, cancellationToken);
                task.Value = total;
            });
        return final!;
    }

    private static async Task<int> ReportFailuresAsync(CoordinatorClient client, Guid jobId, List<FileInfo> images, CancellationToken cancellationToken)
    {
        var failed = (await client.ListAllItemsAsync(jobId, cancellationToken)).Where(i => i.State == "Failed").ToList();
        foreach (var item in failed)
            AnsiConsole.MarkupLineInterpolated($"[red]failed[/] {images[item.Index].Name} ({item.FailedStage}): {item.FailureReason}");
        return failed.Count;
    }

    /// <summary>An item folder per image, named after it (two images with one base name keep their extension apart).</summary>
    private static Task DownloadAsync(CoordinatorClient client, Guid jobId, List<FileInfo> images, DirectoryInfo output,
        CancellationToken cancellationToken)
    {
        var baseNames = images.GroupBy(i => Path.GetFileNameWithoutExtension(i.Name), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return JobDownload.WriteAllAsync(client, jobId, output, index =>
        {
            var name = Path.GetFileNameWithoutExtension(images[index].Name);
            return baseNames.Contains(name) ? images[index].Name.Replace('.', '_') : name;
        }, cancellationToken);
    }

    private static int Refuse(string reason)
    {
        Console.Error.WriteLine($"submit: {reason}");
        return ExitCodes.BadInput;
    }
}
