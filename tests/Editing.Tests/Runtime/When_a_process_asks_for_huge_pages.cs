using Pipeline.Editing.Runtime;

namespace Pipeline.Editing.Tests.Runtime;

/// <summary>The environment a network-running process restarts itself with to get transparent huge pages.</summary>
public sealed class When_a_process_asks_for_huge_pages
{
    [Fact]
    public void Should_restart_with_the_malloc_tunable_and_every_other_variable_kept()
    {
        var environment = HugePages.RestartEnvironment(new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["A"] = "x=y" });

        Assert.NotNull(environment);
        Assert.Equal(["PATH=/usr/bin", "A=x=y", "GLIBC_TUNABLES=glibc.malloc.hugetlb=1"], environment);
    }

    [Fact]
    public void Should_append_to_the_tunables_already_set()
    {
        var environment = HugePages.RestartEnvironment(new Dictionary<string, string> { ["GLIBC_TUNABLES"] = "glibc.malloc.arena_max=2" });

        Assert.Equal(["GLIBC_TUNABLES=glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"], environment);
    }

    [Theory]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1")]
    [InlineData("PIPELINE_HUGE_PAGES", "0")]
    public void Should_not_restart_when_the_tunable_is_set_or_the_switch_is_off(string name, string value)
    {
        Assert.Null(HugePages.RestartEnvironment(new Dictionary<string, string> { [name] = value }));
    }
}
