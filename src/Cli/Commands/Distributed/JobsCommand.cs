using System.CommandLine;
using System.Globalization;
using Pipeline.Contracts.Api;
using Pipeline.Coordinator.Client;
using Spectre.Console;

namespace Pipeline.Cli.Commands.Distributed;

/// <summary><c>pipeline jobs list|show|download|cancel|delete --coordinator URL</c>: the jobs of a running coordinator.
/// <c>list</c> pages through them newest first; <c>show</c> prints a job's counts and each item's state (with the
/// reason of a failed one); <c>download --out DIR</c> writes every item's PNGs and item.json in a folder per item;
/// <c>cancel</c> stops starting items; <c>delete</c> removes an ended job and its stored outputs. The key comes from
/// <c>--api-key</c> or <c>$PIPELINE_API_KEY</c>, as for <c>pipeline submit</c>.</summary>
public static class JobsCommand
{
    public static Command Create()
    {
        var coordinator = new Option<string>("--coordinator") { Description = "coordinator base URL, e.g. http://127.0.0.1:5080", Required = true, Recursive = true };
        var apiKey = new Option<string?>("--api-key") { Description = $"API key (default: ${SubmitCommand.ApiKeyVariable})", Recursive = true };
        var jobId = new Argument<Guid>("job") { Description = "the job's id" };
        var skip = new Option<int>("--skip") { Description = "jobs to skip (newest first)", DefaultValueFactory = _ => 0 };
        var take = new Option<int>("--take") { Description = "jobs to show", DefaultValueFactory = _ => 20 };
        var output = new Option<DirectoryInfo>("--out") { Description = "folder for the items' PNGs and item.json", Required = true };

        var list = new Command("list", "jobs, newest first, with state and counts") { skip, take };
        list.SetAction((parse, token) => WithClient(parse.GetValue(coordinator)!, parse.GetValue(apiKey), client => ListAsync(client, parse.GetValue(skip),
            parse.GetValue(take), token)));
        var show = new Command("show", "a job's counts and each item's state") { jobId };
        show.SetAction((parse, token) => WithClient(parse.GetValue(coordinator)!, parse.GetValue(apiKey), client => ShowAsync(client, parse.GetValue(jobId), token)));
        var download = new Command("download", "every item's PNGs and item.json, a folder per item") { jobId, output };
        download.SetAction((parse, token) => WithClient(parse.GetValue(coordinator)!, parse.GetValue(apiKey),
            client => DownloadAsync(client, parse.GetValue(jobId), parse.GetValue(output)!, token)));
        var cancel = new Command("cancel", "stop starting the job's items; running ones finish") { jobId };
        cancel.SetAction((parse, token) => WithClient(parse.GetValue(coordinator)!, parse.GetValue(apiKey), async client =>
        {
            if (!await client.CancelAsync(parse.GetValue(jobId), token))
                return Refuse($"job {parse.GetValue(jobId)} is unknown to the coordinator");
            AnsiConsole.MarkupLineInterpolated($"job {parse.GetValue(jobId)}: cancel requested");
            return ExitCodes.Ok;
        }));
        var delete = new Command("delete", "remove an ended job, its outputs and the uploads only it used") { jobId };
        delete.SetAction((parse, token) => WithClient(parse.GetValue(coordinator)!, parse.GetValue(apiKey), async client =>
        {
            if (!await client.DeleteAsync(parse.GetValue(jobId), token))
                return Refuse($"job {parse.GetValue(jobId)} is unknown to the coordinator");
            AnsiConsole.MarkupLineInterpolated($"job {parse.GetValue(jobId)}: deleted");
            return ExitCodes.Ok;
        }));
        return new Command("jobs", "list, inspect, download, cancel or delete the jobs of a running coordinator")
        {
            coordinator, apiKey, list, show, download, cancel, delete,
        };
    }

    private static async Task<int> WithClient(string coordinatorUrl, string? apiKey, Func<CoordinatorClient, Task<int>> action)
    {
        if (!Uri.TryCreate(coordinatorUrl, UriKind.Absolute, out var coordinator) || coordinator.Scheme is not ("http" or "https"))
            return Refuse($"--coordinator '{coordinatorUrl}' is not an http(s) URL");
        apiKey ??= Environment.GetEnvironmentVariable(SubmitCommand.ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
            return Refuse($"an API key is needed: --api-key or ${SubmitCommand.ApiKeyVariable}");
        using var client = new CoordinatorClient(coordinator, apiKey);
        try
        {
            return await action(client);
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"jobs: the coordinator answered: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    private static async Task<int> ListAsync(CoordinatorClient client, int skip, int take, CancellationToken cancellationToken)
    {
        // Plain aligned lines, one per job: readable at any terminal width and easy to pipe.
        var jobs = await client.ListJobsAsync(skip, take, cancellationToken);
        Console.WriteLine($"{"job",-36}  {"state",-10} {"total",6} {"done",6} {"failed",6} {"cancel",6} {"flight",6} {"pending",7}  created");
        foreach (var job in jobs)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{job.JobId,-36}  {job.State,-10} {job.Total,6} {job.Completed,6} {job.Failed,6} {job.Cancelled,6} {job.InFlight,6} {job.Pending,7}  {job.CreatedAt:u}"));
        Console.WriteLine($"{jobs.Count} jobs from {skip} (newest first)");
        return ExitCodes.Ok;
    }

    private static async Task<int> ShowAsync(CoordinatorClient client, Guid jobId, CancellationToken cancellationToken)
    {
        if (await client.GetStatusAsync(jobId, cancellationToken) is not { } status)
            return Refuse($"job {jobId} is unknown to the coordinator");
        Console.WriteLine($"job {status.JobId}: {status.State}");
        Console.WriteLine($"{status.Total} items: {status.Completed} completed, {status.Failed} failed, {status.Cancelled} cancelled, {status.InFlight} in flight, {status.Pending} pending");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"created {status.CreatedAt:u}{(status.FinishedAt is { } ended ? $", ended {ended:u}" : "")}"));
        var table = new Table().AddColumns("#", "state", "stage", "reason");
        foreach (var item in await client.ListAllItemsAsync(jobId, cancellationToken))
            table.AddRow($"{item.Index}", Markup.Escape(item.State), Markup.Escape(item.FailedStage ?? ""), Markup.Escape(item.FailureReason ?? ""));
        AnsiConsole.Write(table);
        return status.Failed == 0 ? ExitCodes.Ok : ExitCodes.PartialFailure;
    }

    private static async Task<int> DownloadAsync(CoordinatorClient client, Guid jobId, DirectoryInfo output, CancellationToken cancellationToken)
    {
        if (await client.GetStatusAsync(jobId, cancellationToken) is not { } status)
            return Refuse($"job {jobId} is unknown to the coordinator");
        var written = await JobDownload.WriteAllAsync(client, jobId, output, JobDownload.IndexFolder, cancellationToken);
        AnsiConsole.MarkupLineInterpolated($"{written} items of job {jobId} ({status.State}) written to {output.FullName}");
        return ExitCodes.Ok;
    }

    private static int Refuse(string reason)
    {
        Console.Error.WriteLine($"jobs: {reason}");
        return ExitCodes.BadInput;
    }
}
