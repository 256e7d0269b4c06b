using System.Text;
using static TorchSharp.torch;

namespace Pipeline.Editing.Checkpoints;

/// <summary>
/// Writes files that <c>torch.load</c> reads (also with <c>weights_only=True</c>), so weights trained here load in the
/// reference code: a zip with <c>&lt;archive&gt;/data.pkl</c> (protocol 2), one STORED, 64-byte aligned record
/// <c>&lt;archive&gt;/data/&lt;n&gt;</c> per tensor, <c>byteorder</c> = little and <c>version</c> = 3, as torch ≥ 1.10 writes.
/// </summary>
public static class TorchSaveWriter
{
    /// <summary>The archive format version torch.save has written since PyTorch 1.6.</summary>
    const string FormatVersion = "3\n";
    const string ByteOrder = "little";
    const string DefaultArchiveName = "archive";

    /// <summary><c>torch.save(state_dict, path)</c>: an OrderedDict of tensors in the state dict's order.</summary>
    public static void Write(string path, StateDict stateDict) => WriteTree(path, stateDict);

    /// <summary>
    /// The pSp checkpoint container <c>{'state_dict': OrderedDict, 'opts': dict, 'latent_avg': tensor}</c>;
    /// <c>latent_avg</c> is left out when null, as pSp's coach does without <c>start_from_latent_avg</c>.
    /// </summary>
    public static void WritePspContainer(string path, StateDict stateDict, IReadOnlyDictionary<string, object?> opts, Tensor? latentAvg)
    {
        var root = new PickleDict();
        root["state_dict"] = stateDict;
        root["opts"] = ToDict(opts);
        if (latentAvg is not null) root["latent_avg"] = latentAvg;
        WriteTree(path, root);
    }

    /// <summary>
    /// Any value tree of dicts (<see cref="PickleDict"/>, <see cref="StateDict"/>, string-keyed dictionaries), lists,
    /// <see cref="PickleTuple"/>s, str, int, float, bool, null and tensors.
    /// </summary>
    public static void WriteTree(string path, object? root)
    {
        // The pickle only names storages; their bytes are fetched one at a time below, so peak memory stays one tensor.
        var tensors = new List<Tensor>();
        var keys = new Dictionary<Tensor, string>(ReferenceEqualityComparer.Instance);
        string KeyFor(Tensor t)
        {
            if (!keys.TryGetValue(t, out var key))
            {
                key = tensors.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                tensors.Add(t);
                keys[t] = key;
            }
            return key;
        }
        var pickle = new PickleWriter(KeyFor).Pickle(root);

        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var archive = ArchiveName(full);
        var tmp = full + ".tmp";
        using (var fs = File.Create(tmp))
        {
            var zip = new StoredZipWriter(fs);
            zip.Add(archive + "/data.pkl", pickle);
            zip.Add(archive + "/byteorder", Encoding.ASCII.GetBytes(ByteOrder));
            for (int i = 0; i < tensors.Count; i++)
            {
                using var scope = NewDisposeScope();
                zip.Add($"{archive}/data/{keys[tensors[i]]}", DTypes.ToLittleEndianBytes(tensors[i].detach().cpu()));
            }
            zip.Add(archive + "/version", Encoding.ASCII.GetBytes(FormatVersion));
            zip.Finish();
        }
        File.Move(tmp, full, overwrite: true);
    }

    static PickleDict ToDict(IEnumerable<KeyValuePair<string, object?>> items)
    {
        var d = new PickleDict();
        foreach (var (k, v) in items) d[k] = v;
        return d;
    }

    /// <summary>torch names the archive folder after the file's stem; only safe characters are kept.</summary>
    static string ArchiveName(string path)
    {
        var stem = new string(Path.GetFileNameWithoutExtension(path).Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
        return stem.Length > 0 ? stem : DefaultArchiveName;
    }
}
