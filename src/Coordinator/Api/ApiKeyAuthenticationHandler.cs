using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Pipeline.Coordinator.Api;

/// <summary>Authenticates a request whose <c>X-Api-Key</c> header equals one of <see cref="ApiOptions.ApiKeys"/>
/// (compared in constant time), or a GET request carrying the job page's session cookie (<see cref="PageSession"/>).
/// A browser refused a job page is sent to the sign-in form instead of getting a bare 401.</summary>
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
        if (Request.Headers.TryGetValue(HeaderName, out var supplied) && !string.IsNullOrEmpty(supplied))
            return Task.FromResult(PageSession.MatchKey(api.Value.ApiKeys, supplied.ToString()) is null
                ? AuthenticateResult.Fail("unknown API key")
                : Success("api-client"));
        if (HttpMethods.IsGet(Request.Method) && Request.Cookies.TryGetValue(PageSession.CookieName, out var token) && !string.IsNullOrEmpty(token))
            return Task.FromResult(PageSession.IsValid(api.Value.ApiKeys, token) ? Success("page-session") : AuthenticateResult.Fail("expired page session"));
        return Task.FromResult(AuthenticateResult.NoResult());
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (HttpMethods.IsGet(Request.Method) && Request.Path.Value?.EndsWith(JobPage.PathSuffix, StringComparison.Ordinal) == true)
        {
            Response.Redirect($"/login?returnUrl={Uri.EscapeDataString(Request.Path)}");
            return Task.CompletedTask;
        }
        return base.HandleChallengeAsync(properties);
    }

    private static AuthenticateResult Success(string name)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
