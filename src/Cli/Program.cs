using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Runtime;

HugePages.RestartWithThemIfOff();
NativeHeap.ReuseFreedMemory();

var root = new RootCommand("pipeline: edit out-of-domain photos with a GAN prior (Song et al., ECCV 2022)");
root.Subcommands.Add(EditCommand.Create());
root.Subcommands.Add(AlignCommand.Create());
root.Subcommands.Add(ParityCommand.Create());
root.Subcommands.Add(CheckpointCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(GhostSetCommand.Create());
WorldTrainCommands.AddTo(root);
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(PackCommand.Create());
root.Subcommands.Add(DirectionsCommand.Create());
root.Subcommands.Add(AddEncoderCommand.Create());
root.Subcommands.Add(Pipeline.Cli.Commands.Distributed.SubmitCommand.Create());
root.Subcommands.Add(Pipeline.Cli.Commands.Distributed.JobsCommand.Create());
var parse = root.Parse(args);
// Only a command that runs turns NNPACK off: the call loads libtorch (0.4 s), which help, --version and a mistyped
// option do not need.
if (parse.Action is { } action && action == parse.CommandResult.Command.Action) Nnpack.TurnOff();
return parse.Invoke();
