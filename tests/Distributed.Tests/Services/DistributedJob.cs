using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Services;

/// <summary>Uploads, submits and waits for a job on a <see cref="Deployment"/>, optionally doing something to it
/// (kill a process, stop a service) once the job is under way.</summary>
public static class DistributedJob
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static async Task<List<JobItemSpec>> UploadAsync(Deployment deployment, IEnumerable<byte[]> images)
    {
        var items = new List<JobItemSpec>();
        foreach (var image in images)
            items.Add(new JobItemSpec(await deployment.Client.UploadAsync(image, "image/png", CancellationToken.None)));
        return items;
    }

    public static async Task<JobStatus> RunAsync(Deployment deployment, SubmitJobRequest request,
        Func<JobStatus, bool>? when = null, Func<Task>? disrupt = null)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var accepted = await deployment.Client.SubmitAsync(request, timeout.Token);
        if (when is not null && disrupt is not null)
        {
            while (true)
            {
                var status = (await deployment.Client.GetStatusAsync(accepted.JobId, timeout.Token))!;
                Assert.False(status.IsFinished, $"the job ended before the disruption could happen ({status.Completed} completed)");
                if (when(status))
                    break;
                await Task.Delay(50, timeout.Token);
            }
            await disrupt();
        }
        return await deployment.Client.WaitAsync(accepted.JobId, null, TimeSpan.FromMilliseconds(200), timeout.Token);
    }

    /// <summary>SHA-256 of each item's final image, by index.</summary>
    public static async Task<Dictionary<int, string>> FinalHashesAsync(Deployment deployment, Guid jobId, int count)
    {
        var hashes = new Dictionary<int, string>();
        for (var index = 0; index < count; index++)
        {
            var outputs = await deployment.Client.GetOutputsAsync(jobId, index, CancellationToken.None);
            if (outputs?.Blobs.TryGetValue("final", out var final) == true)
                hashes[index] = final.Sha256;
        }
        return hashes;
    }
}
