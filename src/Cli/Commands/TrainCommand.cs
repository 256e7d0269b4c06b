using System.CommandLine;
using Pipeline.Editing.Checkpoints;
using Pipeline.Editing.Method;
using Pipeline.Editing.Networks.Vgg;
using Pipeline.Editing.Training;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline train da|deghost</c>: trains the Differential Activation module or the deghosting network of a model
/// pack (official trainerDA.py / train_deghosting.py defaults, all overridable); resumable, seeded, with a progress bar,
/// a CSV log, held-out evaluation and sample grids.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var cmd = new Command("train", "train the DA module or the deghosting network of a model pack");
        cmd.Subcommands.Add(CreateDa());
        cmd.Subcommands.Add(CreateDeghost());
        return cmd;
    }

    static Option<string> Models() => new("--models") { Description = "model pack folder (manifest.json) or official release folder", DefaultValueFactory = _ => EditCommand.DefaultModels };

    static Option<TrainingNoise> Noise() => new("--noise")
    {
        Description = "generator noise of the pairs: Fresh (per decode, from the seed; the reference's randomize_noise) | Stored (the generator's buffers)",
        DefaultValueFactory = _ => TrainingNoise.Fresh,
    };

    static Command CreateDa()
    {
        var common = new TrainingArguments(DaTrainingOptions.OfficialTraining("unused"));
        var models = Models();
        var data = new Option<string?>("--data") { Description = "folder of images whose pSp inversions are the prior (sorted; the first --eval-count are held out)" };
        var latents = new Option<bool>("--latents") { Description = "sample latents from the generator instead of inverting images" };
        var directions = new Option<string?>("--directions") { Description = "directions to train on, comma-separated (default: all of the pack's)" };
        var init = new Option<string>("--init") { Description = "initial DiffCam: scratch | pack | FILE (a DiffCam state dict, official layout)", DefaultValueFactory = _ => DiffCamInit.Pack };
        var alpha = new Option<double?>("--alpha") { Description = "α of every edit (default: each direction's unit strength, 20 for the official directions)" };
        var evalCount = new Option<int>("--eval-count") { Description = "held-out items for the accuracy", DefaultValueFactory = _ => DaTrainingOptions.OfficialEvalCount };
        var samples = new Option<int>("--sample-rows") { Description = "rows of the sample grid (inversion | edit | Diff-CAM mask)", DefaultValueFactory = _ => 4 };
        var noise = Noise();
        var addDirection = new Option<string?>("--add-direction")
        {
            Description = "a direction of the pack the DA module was not trained on (manifest 'mask': nearest, agnostic or a name): it gets a new class and only the head learns; with --update-pack the manifest then gives it that class",
        };
        var cmd = new Command("da", "train the Differential Activation module (DiffCam): which direction turned the inversion into the edit")
        {
            models, data, latents, directions, init, alpha, evalCount, samples, noise, addDirection,
        };
        common.AddTo(cmd, updatesPack: true);
        cmd.SetAction(parse => Guard("train da", () =>
        {
            if ((parse.GetValue(data) is null) == !parse.GetValue(latents))
                throw new ArgumentException("give either --data DIR (invert images) or --latents (sample the generator)");
            var options = new DaTrainingOptions
            {
                Training = common.Bind(parse),
                DataDir = parse.GetValue(data),
                Directions = TrainingArguments.List(parse.GetValue(directions)),
                Init = parse.GetValue(init)!,
                Alpha = parse.GetValue(alpha),
                EvalCount = parse.GetValue(evalCount),
                SampleCount = parse.GetValue(samples),
                Noise = parse.GetValue(noise),
                AddDirection = parse.GetValue(addDirection),
            };
            return RunDa(parse.GetValue(models)!, options, parse.GetValue(common.UpdatePack));
        }));
        return cmd;
    }

    public static int RunDa(string modelsDir, DaTrainingOptions options, bool updatePack)
    {
        using var models = EditModels.Load(modelsDir, m => Console.Error.WriteLine("  " + m));
        using var trainer = new DaTrainer(models, options);
        using var cancel = new CommandCancellation();
        var result = TrainingProgressBar.Run(p => trainer.Run(p, cancel: cancel.Token));
        Console.Error.WriteLine($"step {result.LastStep}/{options.Training.Steps}: {result.DiffCamPath} (sha256 {result.DiffCamSha256[..12]}…)"
                                + (result.EvalAccuracy is { } a ? $", held-out accuracy {a:P1}" : ""));
        if (updatePack && result.LastStep == options.Training.Steps)
        {
            trainer.UpdatePack();
            Console.Error.WriteLine($"model pack updated: {Path.Combine(models.Directory, models.Manifest.DiffCam.File)}");
        }
        else if (updatePack) Console.Error.WriteLine("the run stopped early, so the model pack was left as it was");
        return ExitCodes.Ok;
    }

    static Command CreateDeghost()
    {
        var common = new TrainingArguments(DeghostTrainingOptions.OfficialTraining("unused"));
        var models = Models();
        var data = new Option<string>("--data") { Description = "ghost set folder with lq/ and gt/ (pipeline ghost-set)", Required = true };
        var preset = new Option<DeghostPreset>("--preset") { Description = "loss weights: Official (pixel 1, perceptual 1e-2, GAN 1e-2, as the reference code) | Paper (1, 0.8, 0.01, Eq. 8)", DefaultValueFactory = _ => DeghostPreset.Official };
        var pixel = new Option<double?>("--pixel-weight") { Description = "override the preset's pixel (MSE) weight" };
        var perceptual = new Option<double?>("--perceptual-weight") { Description = "override the preset's perceptual (VGG16 conv4_3) weight" };
        var gan = new Option<double?>("--gan-weight") { Description = "override the preset's adversarial weight (0: the discriminator is neither run nor trained)" };
        var vgg = new Option<string?>("--vgg") { Description = "VGG16 weights for the perceptual term (torchvision vgg16 state dict); without them the term is disabled and run.json says so" };
        var init = new Option<string>("--init") { Description = "initial network: scratch | pack | FILE (a deghosting.pt, official layout)", DefaultValueFactory = _ => DiffCamInit.Pack };
        var generator = new Option<string>("--generator") { Description = "with --init scratch, the frozen StyleGAN2: psp (the pack's pSp decoder) | FILE (an mmgen checkpoint, generator_ema.*)", DefaultValueFactory = _ => DeghostTrainingOptions.GeneratorFromPsp };
        var discInit = new Option<string?>("--disc-init") { Description = "initial discriminator (plain state dict or an mmgen checkpoint's discriminator.*); default: drawn from the seed" };
        var discChannels = new Option<string?>("--disc-channels") { Description = "discriminator channels per resolution, e.g. 4:64,8:64,16:32,32:32 (default: the pack's deghosting table)" };
        var shuffle = new Option<bool>("--shuffle") { Description = "shuffle the pairs every epoch (the reference does not)" };
        var evalCount = new Option<int>("--eval-count") { Description = "pairs held out for PSNR", DefaultValueFactory = _ => 0 };
        var samples = new Option<int>("--sample-rows") { Description = "rows of the sample grid (input | output | target)", DefaultValueFactory = _ => 4 };
        var cmd = new Command("deghost", "train the deghosting network on a ghost set (composite → original)")
        {
            models, data, preset, pixel, perceptual, gan, vgg, init, generator, discInit, discChannels, shuffle, evalCount, samples,
        };
        common.AddTo(cmd, updatesPack: true);
        cmd.SetAction(parse => Guard("train deghost", () =>
        {
            var options = new DeghostTrainingOptions
            {
                Training = common.Bind(parse),
                DataDir = parse.GetValue(data)!,
                Preset = parse.GetValue(preset),
                PixelWeight = parse.GetValue(pixel),
                PerceptualWeight = parse.GetValue(perceptual),
                GanWeight = parse.GetValue(gan),
                Vgg = parse.GetValue(vgg),
                Init = parse.GetValue(init)!,
                Generator = parse.GetValue(generator)!,
                DiscriminatorInit = parse.GetValue(discInit),
                DiscriminatorChannels = TrainingArguments.Channels(parse.GetValue(discChannels)),
                Shuffle = parse.GetValue(shuffle),
                EvalCount = parse.GetValue(evalCount),
                SampleCount = parse.GetValue(samples),
            };
            return RunDeghost(parse.GetValue(models)!, options, parse.GetValue(common.UpdatePack));
        }));
        return cmd;
    }

    public static int RunDeghost(string modelsDir, DeghostTrainingOptions options, bool updatePack)
    {
        using var models = EditModels.Load(modelsDir, m => Console.Error.WriteLine("  " + m));
        using var trainer = new DeghostTrainer(models, options);
        Console.Error.WriteLine($"losses: pixel × {trainer.Weights.Pixel}, perceptual × {trainer.Weights.Perceptual}, GAN × {trainer.Weights.Gan}");
        using var cancel = new CommandCancellation();
        var result = TrainingProgressBar.Run(p => trainer.Run(p, cancel: cancel.Token));
        Console.Error.WriteLine($"step {result.LastStep}/{options.Training.Steps}: {result.DeghostingPath} (sha256 {result.DeghostingSha256[..12]}…), {result.DiscriminatorPath}"
                                + (result.EvalPsnr is { } p ? $", held-out PSNR {p:0.00} dB" : ""));
        if (updatePack && result.LastStep == options.Training.Steps)
        {
            trainer.UpdatePack();
            Console.Error.WriteLine($"model pack updated: {Path.Combine(models.Directory, models.Manifest.Deghosting.File)}");
        }
        else if (updatePack) Console.Error.WriteLine("the run stopped early, so the model pack was left as it was");
        return ExitCodes.Ok;
    }

    internal static int Guard(string name, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException or DirectoryNotFoundException
                                       or InvalidDataException or CheckpointFormatException or StateDictMismatchException
                                       or Pipeline.Editing.Imaging.ImageDecodeException)
        {
            Console.Error.WriteLine($"{name}: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
