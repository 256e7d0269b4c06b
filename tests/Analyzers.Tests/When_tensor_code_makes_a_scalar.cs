using Microsoft.CodeAnalysis;

namespace Pipeline.Analyzers.Tests;

public class When_tensor_code_makes_a_scalar
{
    static async Task<string[]> Ids(string members) =>
        (await SnippetCompiler.AnalyzeMembers(members)).Select(d => d.Id).OrderBy(i => i).ToArray();

    [Fact]
    public async Task Should_report_a_number_multiplied_into_a_tensor()
    {
        var diagnostics = await SnippetCompiler.AnalyzeMembers("static Tensor M(Tensor x) => x * 0.5;");
        var d = Assert.Single(diagnostics);
        Assert.Equal("PIPE001", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'0.5'", d.GetMessage());
        Assert.Contains("static readonly Scalar", d.GetMessage());
        Assert.Contains("using var", d.GetMessage());
    }

    [Fact]
    public async Task Should_report_both_bounds_of_a_clamp() =>
        Assert.Equal(["PIPE001", "PIPE001"], await Ids("static Tensor M(Tensor x) => x.clamp(-1, 1);"));

    [Theory]
    [InlineData("static Tensor M(Tensor x) => 1 - x;")]
    [InlineData("static Tensor M(Tensor x) => x.pow(2);")]
    [InlineData("static Tensor M(Tensor x) => x.fill_(0);")]
    [InlineData("static Tensor M(Tensor x, Tensor y) => x.add(y, alpha: 2);")]
    [InlineData("static Tensor M(Tensor x) => x > 0.5;")]
    [InlineData("static void M(Tensor x) { x *= 2; }")]
    [InlineData("static Tensor M(Tensor x, double s) => x.mul(s);")]
    [InlineData("static Tensor M(Tensor x) { Scalar s = 0.5; return x.mul(s); }")]   // a plain local dies at its last use
    public async Task Should_report_other_implicit_scalars(string members) =>
        Assert.Contains("PIPE001", await Ids(members));

    [Theory]
    [InlineData("static Tensor M(Tensor x) => x.mul(0.5.ToScalar());")]
    [InlineData("static Tensor M(Tensor x) => x.mul((Scalar)0.5);")]
    public async Task Should_report_a_scalar_made_inside_the_argument_list(string members) =>
        Assert.Equal(["PIPE002"], await Ids(members));

    [Theory]
    [InlineData("static Tensor M(Tensor x) => x.square();")]
    [InlineData("static Tensor M(Tensor x) => F.leaky_relu(x, 0.2);")]
    [InlineData("static Tensor M(Tensor x, Tensor y) => x.add_(y);")]
    [InlineData("static Tensor M(Tensor x) => x.add(One);")]
    [InlineData("static nn.Module<Tensor, Tensor> M() => nn.LeakyReLU(0.01);")]
    [InlineData("static nn.Module<Tensor, Tensor> M() => nn.PReLU(64);")]
    public async Task Should_report_torchsharp_members_that_make_one_inside(string members) =>
        Assert.Equal(["PIPE003"], await Ids(members));

    [Theory]
    [InlineData("static Tensor M(Tensor x) => x * Half;")]
    [InlineData("static Tensor M(Tensor x) => x.clamp(MinusOne, One);")]
    [InlineData("static Tensor M(Tensor x, double s) { using var scale = s.ToScalar(); return x * scale; }")]
    [InlineData("static Tensor M(Tensor x, double s) { using Scalar scale = s; return x * scale; }")]
    [InlineData("static Tensor M(Tensor x, double s) { using (Scalar scale = s) return x * scale; }")]
    [InlineData("static Tensor M(Tensor x, Tensor y) => (x * y).add(x.leaky_relu(Half), One) - y.add_(x, alpha: One);")]
    [InlineData("static Tensor M(Tensor x, Tensor y) => x - y - One;")]   // sub takes no alpha
    public async Task Should_accept_a_held_scalar(string members) =>
        Assert.Empty(await Ids(members));

    [Fact]
    public async Task Should_report_a_sum_of_two_tensors_with_the_fix()
    {
        var d = Assert.Single(await SnippetCompiler.AnalyzeMembers("static Tensor M(Tensor a, Tensor b) => a + b;"));
        Assert.Equal("PIPE004", d.Id);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'a + b'", d.GetMessage());
        Assert.Contains("a.add(b, Scalars.One)", d.GetMessage());
    }

    [Theory]
    [InlineData("static Tensor M(Tensor x) => x + One;")]
    [InlineData("static Tensor M(Tensor x) => One + x;")]
    [InlineData("static Tensor M(Tensor x) => One - x;")]              // negate, then add(Scalar) with alpha 1
    [InlineData("static void M(Tensor x, Tensor y) { x += y; }")]
    public async Task Should_report_other_additions_whose_alpha_torchsharp_makes(string members) =>
        Assert.Equal(["PIPE004"], await Ids(members));

    [Theory]
    [InlineData("static Tensor M(Tensor a, Tensor b) => a.add(b, One);")]
    [InlineData("static Tensor M(Tensor a, Tensor b) => a.add(b, alpha: One).add(One, One);")]
    public async Task Should_accept_an_addition_with_a_held_alpha(string members) =>
        Assert.Empty(await Ids(members));
}
