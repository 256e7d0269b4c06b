using System.Diagnostics;
using Pipeline.Distributed.Tests.Support;

namespace Pipeline.Distributed.Tests.Deploy;

/// <summary>k8s/*.yaml against the Kubernetes and KEDA schemas (npm kubernetes-models) plus the deployment invariants:
/// pinned images, probes, resources, non-root, GPU limits, a KEDA scaler per worker queue, secrets only by reference.
/// The checks live in k8s/test/validate.mjs; .ci/run installs its npm packages.</summary>
public sealed class When_the_kubernetes_manifests_are_validated
{
    [NodeModulesFact]
    public async Task Should_match_the_schemas_and_keep_every_invariant()
    {
        var start = new ProcessStartInfo("node", [Path.Combine(RepositoryPaths.Root, "k8s", "test", "validate.mjs")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = await node.StandardOutput.ReadToEndAsync();
        var error = await node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();

        var failures = output.Split('\n').Where(line => line.StartsWith("FAIL")).ToList();
        Assert.True(node.ExitCode == 0, $"validate.mjs exited {node.ExitCode}:\n{string.Join('\n', failures)}\n{error}");
        Assert.Empty(failures);
        Assert.Matches(@"k8s: [1-9]\d* passed, 0 failed", output);
    }
}

/// <summary>Needs k8s/test/node_modules (npm ci --prefix k8s/test). Skipped locally without it; in CI it runs and fails.</summary>
public sealed class NodeModulesFactAttribute : FactAttribute
{
    public NodeModulesFactAttribute()
    {
        if (!Directory.Exists(Path.Combine(RepositoryPaths.Root, "k8s", "test", "node_modules")) && !ServiceEnvironment.IsCi)
            Skip = "needs k8s/test/node_modules: npm ci --prefix k8s/test";
    }
}
