using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Coordinator.Api;

/// <summary>The browser's proof of an API key, for the job page and the images on it (a browser cannot add a header to
/// an <c>&lt;img&gt;</c> request, and a key never goes into a URL): after a sign-in with the key, an HttpOnly,
/// SameSite=Strict cookie holds an HMAC of a fixed label under that key, not the key itself. It authenticates GET
/// requests only; anything that changes state still needs the <c>X-Api-Key</c> header. Removing a key from
/// <see cref="ApiOptions.ApiKeys"/> ends the sessions made with it.</summary>
public static class PageSession
{
    public const string CookieName = "pipeline_session";
    private static readonly byte[] Label = "pipeline job page session v1"u8.ToArray();

    /// <summary>The key that equals <paramref name="supplied"/> (compared in constant time), or null.</summary>
    public static string? MatchKey(IEnumerable<string> keys, string supplied)
    {
        var suppliedBytes = Encoding.UTF8.GetBytes(supplied);
        string? match = null;
        foreach (var key in keys.Where(k => !string.IsNullOrEmpty(k)))
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), suppliedBytes))
                match = key;
        return match;
    }

    public static string TokenOf(string key) => Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Label));

    public static bool IsValid(IEnumerable<string> keys, string token)
    {
        var tokenBytes = Encoding.UTF8.GetBytes(token);
        var valid = false;
        foreach (var key in keys.Where(k => !string.IsNullOrEmpty(k)))
            valid |= CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(TokenOf(key)), tokenBytes);
        return valid;
    }

    public static CookieOptions CookieFor(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = "/",
        MaxAge = TimeSpan.FromHours(12),
    };

    /// <summary>A path on this server to go back to after signing in, or null for anything else (an absolute URL or
    /// <c>//host</c> would send the browser away).</summary>
    public static string? LocalPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : null;
}
