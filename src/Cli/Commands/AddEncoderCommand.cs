using System.CommandLine;
using Pipeline.Editing.Method;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline add-encoder --pack DIR --encoder FILE</c>: puts an encoder of another type (an e4e beside the
/// pSp) into a model pack, so that <c>--invert e4e</c> can choose it.</summary>
public static class AddEncoderCommand
{
    public static Command Create()
    {
        var pack = new Option<string>("--pack") { Description = "the model pack folder (manifest.json) to add the encoder to", Required = true };
        var encoder = new Option<string>("--encoder") { Description = "a pSp container of another encoder type trained against the pack's generator (e.g. `train encoder --encoder e4e`'s psp.pt)", Required = true };
        var cmd = new Command("add-encoder", "add an encoder of another type (e.g. e4e) to a model pack as <type>.pt, with its hash and training provenance") { pack, encoder };
        cmd.SetAction(p => WorldTrainCommands.Guard("add-encoder", () =>
        {
            var written = ModelPackEncoders.Add(p.GetValue(pack)!, p.GetValue(encoder)!);
            Console.Error.WriteLine($"add-encoder: {string.Join(", ", written.OtherEncoders!.Select(e => $"{e.File} ({e.EncoderType})"))} beside {written.Encoder.File}");
            return ExitCodes.Ok;
        }));
        return cmd;
    }
}
