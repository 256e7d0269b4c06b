using System.CommandLine;
using System.Globalization;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Networks.Psp;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline checkpoint inspect FILE</c>: what a checkpoint holds, read without running any of its code.</summary>
public static class CheckpointCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "a torch.save (.pt/.pth) or .safetensors file" };
        var inspect = new Command("inspect", "print the container kind, opts, every tensor with dtype and shape, and a pSp container's encoder type") { file };
        inspect.SetAction(parse => Inspect(parse.GetValue(file)!, Console.Out, Console.Error));
        return new Command("checkpoint", "read checkpoint files") { inspect };
    }

    /// <summary>Exit 0 with the listing on <paramref name="output"/>; exit 2 with one line on <paramref name="error"/>.</summary>
    public static int Inspect(FileInfo file, TextWriter output, TextWriter error)
    {
        Checkpoint checkpoint;
        try
        {
            checkpoint = CheckpointReader.Read(file.FullName);
        }
        catch (Exception e) when (e is CheckpointFormatException or FileNotFoundException or UnauthorizedAccessException or IOException)
        {
            error.WriteLine($"checkpoint inspect: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.BadInput;
        }
        using (checkpoint)
        {
            Print(checkpoint, output);
            if (checkpoint.Kind != CheckpointKind.PspContainer) return ExitCodes.Ok;
            try
            {
                var type = EncoderTypes.FromOpts(checkpoint.Opts, checkpoint.File);
                output.WriteLine($"encoder: {type} ({EncoderTypes.ShortName(type)} forward)");
                return ExitCodes.Ok;
            }
            catch (InvalidDataException e)
            {
                error.WriteLine($"checkpoint inspect: {e.Message}");
                return ExitCodes.BadInput;
            }
        }
    }

    static void Print(Checkpoint c, TextWriter o)
    {
        var ci = CultureInfo.InvariantCulture;
        o.WriteLine($"file: {c.File}");
        o.WriteLine($"kind: {c.Kind}");
        if (c.Opts.Count > 0)
        {
            o.WriteLine($"opts: {c.Opts.Count} entries");
            foreach (var (k, v) in c.Opts) o.WriteLine($"  {k} = {PickleText.Repr(v)}");
        }
        if (c.StateDict.Metadata.Count > 0)
        {
            o.WriteLine($"metadata: {c.StateDict.Metadata.Count} entries");
            foreach (var (k, v) in c.StateDict.Metadata) o.WriteLine($"  {k} = {v}");
        }
        if (c.LatentAvg is not null) o.WriteLine($"latent_avg: {DTypes.TorchName(c.LatentAvg.dtype)} {DTypes.ShapeText(c.LatentAvg.shape)}");
        if (c.Root is not null)
        {
            var others = c.Root.Keys.Select(k => k as string ?? PickleText.Repr(k)).Where(k => k is not ("state_dict" or "opts" or "latent_avg")).ToList();
            if (others.Count > 0) o.WriteLine($"other entries: {string.Join(", ", others)}");
        }
        o.WriteLine($"prefixes: {string.Join(", ", c.Prefixes.Select(p => $"{p.Prefix} ({p.Count})"))}");

        int width = c.StateDict.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
        long elements = 0, bytes = 0;
        foreach (var (name, t) in c.StateDict)
        {
            o.WriteLine($"{name.PadRight(width)}  {DTypes.TorchName(t.dtype),-8}  {DTypes.ShapeText(t.shape)}");
            elements += t.numel();
            bytes += t.numel() * DTypes.ElementSize(t.dtype);
        }
        o.WriteLine(string.Format(ci, "total: {0} entries, {1:N0} elements, {2:N0} bytes", c.StateDict.Count, elements, bytes));
    }
}
