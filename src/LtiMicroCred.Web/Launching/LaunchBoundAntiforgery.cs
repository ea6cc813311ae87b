using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace LtiMicroCred.Web.Launching;

/// <summary>
/// Form tokens for pages opened with a launch token, with no cookie. Inside an LMS iframe the tool is a third party,
/// and a browser that blocks third-party cookies (even partitioned ones) would drop the standard antiforgery cookie and
/// refuse every form. A page opened with a launch token gets a form token sealed with Data Protection and bound to that
/// launch (person, district, the token's issue time); a post is accepted only with the token of the same launch.
/// Requests without a launch token (the jobs dashboard's first-party session) keep ASP.NET's cookie-based tokens.
/// </summary>
public sealed class LaunchBoundAntiforgery(IAntiforgery cookieBased, IDataProtectionProvider dataProtection, IOptions<AntiforgeryOptions> options) : IAntiforgery
{
    private static readonly TimeSpan Lifetime = LaunchTokenDefaults.Lifetime + TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _protector = dataProtection.CreateProtector("LtiMicroCred.LaunchFormToken.v1").ToTimeLimitedDataProtector();

    public AntiforgeryTokenSet GetAndStoreTokens(HttpContext httpContext) =>
        Binding(httpContext) is { } binding ? Tokens(binding) : cookieBased.GetAndStoreTokens(httpContext);

    public AntiforgeryTokenSet GetTokens(HttpContext httpContext) =>
        Binding(httpContext) is { } binding ? Tokens(binding) : cookieBased.GetTokens(httpContext);

    public async Task<bool> IsRequestValidAsync(HttpContext httpContext)
    {
        if (HttpMethods.IsGet(httpContext.Request.Method) || HttpMethods.IsHead(httpContext.Request.Method)
            || HttpMethods.IsOptions(httpContext.Request.Method) || HttpMethods.IsTrace(httpContext.Request.Method))
        {
            return true;
        }

        if (Binding(httpContext) is not { } binding)
        {
            return await cookieBased.IsRequestValidAsync(httpContext);
        }

        var sent = httpContext.Request.HasFormContentType
            ? (await httpContext.Request.ReadFormAsync(httpContext.RequestAborted))[options.Value.FormFieldName].ToString()
            : options.Value.HeaderName is { } header ? httpContext.Request.Headers[header].ToString() : string.Empty;
        if (string.IsNullOrEmpty(sent))
        {
            return false;
        }

        try
        {
            return _protector.Unprotect(sent) == binding;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }

    public async Task ValidateRequestAsync(HttpContext httpContext)
    {
        if (!await IsRequestValidAsync(httpContext))
        {
            throw new AntiforgeryValidationException("The form token is missing, expired, or belongs to another launch.");
        }
    }

    public void SetCookieTokenAndHeader(HttpContext httpContext)
    {
        if (Binding(httpContext) is null)
        {
            cookieBased.SetCookieTokenAndHeader(httpContext);
        }
    }

    private AntiforgeryTokenSet Tokens(string binding) =>
        new(_protector.Protect(binding, Lifetime), cookieToken: null, options.Value.FormFieldName, options.Value.HeaderName);

    /// <summary>What a form token is bound to, when the request came with a launch token that authenticated it.</summary>
    private static string? Binding(HttpContext httpContext)
    {
        var request = httpContext.Request;
        if (request.Path.StartsWithSegments(Hosting.JobsExtensions.DashboardPath)
            || request.Cookies.ContainsKey(LaunchAuthenticationExtensions.AdminSessionCookie))
        {
            // The jobs dashboard acts on its first-party session cookie: its forms need the cookie-bound token, whatever
            // launch token a request also carries.
            return null;
        }

        var carriesLaunchToken = request.Query.ContainsKey(LaunchTokenDefaults.QueryName)
            || request.Headers.Authorization.Count > 0
            || (request.HasFormContentType && request.Form.ContainsKey(LaunchTokenDefaults.QueryName));
        var user = httpContext.User;
        if (!carriesLaunchToken || user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var subject = user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value;
        var tenant = user.FindFirst(LaunchTokenDefaults.TenantClaim)?.Value;
        var issuedAt = user.FindFirst(JwtRegisteredClaimNames.Iat)?.Value;
        return subject is null || tenant is null || issuedAt is null ? null : $"{subject}|{tenant}|{issuedAt}";
    }
}
