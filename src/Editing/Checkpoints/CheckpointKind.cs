namespace Pipeline.Editing.Checkpoints;

/// <summary>What a checkpoint file holds, detected from its content (not its name).</summary>
public enum CheckpointKind
{
    /// <summary>pSp's <c>{'state_dict': {encoder.*, decoder.*}, 'opts': dict, 'latent_avg': [n_styles,512]}</c>.</summary>
    PspContainer,
    /// <summary>Any other dict with a <c>'state_dict'</c> entry (e.g. an mmcv checkpoint with <c>meta</c>/<c>optimizer</c>).</summary>
    StateDictContainer,
    /// <summary>An mmgen GAN state (<c>generator_ema.*</c>, <c>discriminator.*</c>), bare or inside a container.</summary>
    MmgenCheckpoint,
    /// <summary><c>torch.save(model.state_dict())</c>: name → tensor (<c>diff_cam_weight.pt</c>, <c>deghosting.pt</c>).</summary>
    PlainStateDict,
    /// <summary>A <c>.safetensors</c> file.</summary>
    SafeTensors,
}
