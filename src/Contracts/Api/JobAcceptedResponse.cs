namespace Pipeline.Contracts.Api;

/// <summary>Body of a successful <c>POST /jobs</c>.</summary>
public sealed record JobAcceptedResponse(Guid JobId, int Total, string StatusUrl);
