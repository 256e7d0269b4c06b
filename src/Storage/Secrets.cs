using System.Text.RegularExpressions;

namespace Pipeline.Storage;

/// <summary>Masks the secret parts of connection strings and URIs before they reach a log or an exception message.</summary>
public static partial class Secrets
{
    private const string Mask = "***";

    /// <summary><c>Password=…</c>, <c>AccountKey=…</c>, <c>SharedAccessSignature=…</c>, the signature of a SAS URI
    /// (<c>sig=…</c>) and the password of <c>scheme://user:password@host</c> become <c>***</c>; everything else stays
    /// readable.</summary>
    public static string MaskConnectionString(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var masked = KeyValueSecret().Replace(value, m => $"{m.Groups["key"].Value}={Mask}");
        masked = SasSignature().Replace(masked, m => $"{m.Groups["key"].Value}={Mask}");
        return UriPassword().Replace(masked, m => $"{m.Groups["prefix"].Value}{Mask}@");
    }

    /// <summary>A URI as it may be logged: a SAS signature in its query masked.</summary>
    public static string MaskUri(Uri uri) => MaskConnectionString(uri.ToString());

    [GeneratedRegex(@"(?<key>password|pwd|accountkey|sharedaccesssignature|sharedaccesskey)\s*=\s*[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"(?<=[?&;]|^)(?<key>sig)=[^&;\s""']*", RegexOptions.IgnoreCase)]
    private static partial Regex SasSignature();

    [GeneratedRegex(@"(?<prefix>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();
}
