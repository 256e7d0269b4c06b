using MassTransit;
using Microsoft.Extensions.Options;
using Pipeline.Contracts;
using Pipeline.Contracts.Api;
using Pipeline.Hosting;
using Pipeline.Hosting.Bus;
using Pipeline.Storage;

namespace Pipeline.Coordinator.Jobs;

/// <summary>Submit and cancel, for the HTTP API and the embedded host alike: both go through the bus, so the saga sees
/// the same messages in every mode. Per-item problems (an unknown attribute, a NaN strength, a corrupt image) are not
/// refused here: those items fail with a reason while the rest of the job runs.</summary>
public sealed class JobSubmission(IClientFactory clients, IBus bus, QueueNames queues, IOptions<CoordinatorOptions> options)
{
    private static readonly RequestTimeout SubmitTimeout = RequestTimeout.After(m: 2);

    public async Task<JobAccepted> SubmitAsync(SubmitJobRequest request, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var problems = Validate(request, settings).ToList();
        if (problems.Count > 0)
            throw new JobValidationException(problems);
        var command = new SubmitJob(
            request.JobId ?? NewId.NextGuid(),
            request.Items,
            request.Edits,
            request.Options ?? JobOptions.Default,
            request.MaxInFlight ?? settings.DefaultMaxInFlight);
        var client = clients.CreateRequestClient<SubmitJob>(queues.AddressOf(queues.SubmitJob), SubmitTimeout);
        var response = await client.GetResponse<JobAccepted>(command, cancellationToken);
        return response.Message;
    }

    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        var endpoint = await bus.GetSendEndpoint(queues.AddressOf(queues.JobSaga));
        await endpoint.Send(new CancelJob(jobId), cancellationToken);
    }

    private static IEnumerable<JobProblem> Validate(SubmitJobRequest request, CoordinatorOptions settings)
    {
        var limits = settings.Limits;
        if (request.Items is null || request.Items.Count == 0)
            yield return new JobProblem("items", "a job needs at least one item");
        else if (request.Items.Count > settings.MaxItemsPerJob)
            yield return new JobProblem("items", $"a job holds at most {settings.MaxItemsPerJob} items; this one has {request.Items.Count}");
        if (request.Edits is null)
            yield return new JobProblem("edits", "edits are missing (an empty list is allowed when every item brings its own)");
        else
            foreach (var problem in limits.CheckEdits(request.Edits.Count, "edits"))
                yield return problem;
        if (request.MaxInFlight is < 1)
            yield return new JobProblem("maxInFlight", $"maxInFlight is {request.MaxInFlight}; it must be at least 1");
        else if (request.MaxInFlight > limits.MaxInFlight)
            yield return new JobProblem("maxInFlight", $"maxInFlight is {request.MaxInFlight}; at most {limits.MaxInFlight}");
        foreach (var problem in JobSettingsCheck.Problems(request.Options?.Settings, limits))
            yield return problem;
        for (var index = 0; request.Items is not null && index < request.Items.Count; index++)
        {
            var item = request.Items[index];
            var source = item?.Source;
            if (source is null || string.IsNullOrWhiteSpace(source.Name))
                yield return new JobProblem($"items[{index}].source", $"item {index} has no source blob");
            else if (!BlobNames.IsSafe(source.Name))
                yield return new JobProblem($"items[{index}].source", $"item {index}: '{source.Name}' is not a valid blob name");
            else if (string.IsNullOrWhiteSpace(source.Sha256))
                yield return new JobProblem($"items[{index}].source", $"item {index}: the source blob reference has no sha256");
            if (item?.Edits is { } edits)
                foreach (var problem in limits.CheckEdits(edits.Count, $"items[{index}].edits"))
                    yield return problem;
        }
    }
}
