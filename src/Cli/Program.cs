using System.CommandLine;
using Pipeline.Cli.Commands;
using Pipeline.Editing.Runtime;

HugePages.RestartWithThemIfOff();
NativeHeap.ReuseFreedMemory();
Nnpack.TurnOff();

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
return root.Parse(args).Invoke();
