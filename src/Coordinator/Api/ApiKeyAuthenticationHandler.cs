using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Pipeline.Coordinator.Api;

/// <summary>Authenticates a request whose <c>X-Api-Key</c> header equals one of <see cref="ApiOptions.ApiKeys"/>
/// (compared in constant time).</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<ApiOptions> api)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var supplied) || string.IsNullOrEmpty(supplied))
            return Task.FromResult(AuthenticateResult.NoResult());
        var suppliedBytes = Encoding.UTF8.GetBytes(supplied.ToString());
        var known = api.Value.ApiKeys.Any(key => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), suppliedBytes));
        if (!known)
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-client")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
