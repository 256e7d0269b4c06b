using System.Text.RegularExpressions;

namespace Pipeline.Hosting;

/// <summary>Masks the secret parts of connection strings and URIs before they reach a log.</summary>
public static partial class Secrets
{
    private const string Mask = "***";

    /// <summary><c>Password=…</c>, <c>AccountKey=…</c>, <c>SharedAccessSignature=…</c> and the password of
    /// <c>scheme://user:password@host</c> become <c>***</c>; everything else stays readable.</summary>
    public static string MaskConnectionString(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        var masked = KeyValueSecret().Replace(value, m => $"{m.Groups["key"].Value}={Mask}");
        return UriPassword().Replace(masked, m => $"{m.Groups["prefix"].Value}{Mask}@");
    }

    [GeneratedRegex(@"(?<key>password|pwd|accountkey|sharedaccesssignature|sharedaccesskey)\s*=\s*[^;]*", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"(?<prefix>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UriPassword();
}
