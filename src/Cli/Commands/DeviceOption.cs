using System.CommandLine;
using Pipeline.Editing.Runtime;

namespace Pipeline.Cli.Commands;

/// <summary><c>--device</c> of every command that loads a model pack: one option, one parser (<see cref="ComputeDevice"/>).</summary>
public static class DeviceOption
{
    public const string Name = "--device";

    public static Option<string> Create() => new(Name)
    {
        Description = $"where the model pack runs: cpu (default), cuda or cuda:N (CUDA needs a build with {ComputeDevice.BuildSwitch} and a visible GPU)",
        DefaultValueFactory = _ => "cpu",
    };

    /// <summary>The parsed device; a bad value or a CUDA device this libtorch cannot use is an ArgumentException.</summary>
    public static ComputeDevice Read(ParseResult parse, Option<string> option) => ComputeDevice.Parse(parse.GetValue(option), Name);
}
