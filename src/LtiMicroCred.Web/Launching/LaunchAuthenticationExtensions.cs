using System.Security.Claims;
using Hangfire.Dashboard;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.People;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Web.Launching;

public static class LaunchAuthenticationExtensions
{
    public const string AdminSessionScheme = "AdminSession";
    public const string AdminSessionCookie = "ltimc_admin";
    public const string DistrictAdminPolicy = "DistrictAdmin";

    public static void AddLaunchAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LaunchTokenIssuer>();
        builder.Services.AddAuthentication(LaunchTokenDefaults.Scheme)
            .AddJwtBearer(LaunchTokenDefaults.Scheme, options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = LaunchTokenDefaults.Issuer,
                    ValidAudience = LaunchTokenDefaults.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "name",
                };
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = ReadTokenFromQueryOrForm,
                    OnChallenge = WriteSessionEndedPage,
                };
            })
            // The jobs dashboard opens in its own tab (first-party), so a cookie is fine there.
            .AddCookie(AdminSessionScheme, options =>
            {
                options.Cookie.Name = AdminSessionCookie;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(1);
                options.SlidingExpiration = false;
                options.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
            });
        builder.Services.AddOptions<JwtBearerOptions>(LaunchTokenDefaults.Scheme)
            .Configure<ToolKeySet>((options, keys) => options.ConfigurationManager = new ToolKeyConfigurationManager(keys));
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(DistrictAdminPolicy, p => p.RequireAssertion(c => HasRole(c.User, ProductRoles.DistrictAdmin)));
    }

    public static bool HasRole(ClaimsPrincipal user, ProductRoles role) =>
        LaunchUser.From(user) is { } launch && launch.Roles.HasFlag(role);

    private static async Task ReadTokenFromQueryOrForm(MessageReceivedContext context)
    {
        var request = context.Request;
        if (request.Headers.Authorization.Count > 0)
        {
            return;
        }

        if (request.Query.TryGetValue(LaunchTokenDefaults.QueryName, out var fromQuery) && fromQuery.Count == 1)
        {
            context.Token = fromQuery.ToString();
        }
        else if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(context.HttpContext.RequestAborted);
            if (form.TryGetValue(LaunchTokenDefaults.QueryName, out var fromForm))
            {
                context.Token = fromForm.ToString();
            }
        }
    }

    private static async Task WriteSessionEndedPage(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        if (context.Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await context.Response.WriteAsJsonAsync(new { error = "unauthorized", message = "Open the tool from your LMS to sign in." });
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Please open the tool from your LMS - LtiMicroCred</title>" +
            "<link rel=\"stylesheet\" href=\"/css/site.css\"></head><body><main id=\"main\"><h1>Please open the tool from your LMS</h1>" +
            "<p>Your session has ended or this page was opened without one. Go back to your course and open LtiMicroCred again.</p></main></body></html>");
    }
}

/// <summary>
/// The Hangfire dashboard is for district administrators of an operator tenant (it shows every district's jobs).
/// They reach it through /admin/jobs with their launch token, which checks the operator rule and starts a short
/// first-party session cookie, marked as an operator's, for the dashboard's own requests.
/// </summary>
public sealed class AdminDashboardAuthorization : IDashboardAsyncAuthorizationFilter
{
    public const string OperatorClaim = "ltimc_operator";

    public async Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var result = await context.GetHttpContext().AuthenticateAsync(LaunchAuthenticationExtensions.AdminSessionScheme);
        return result.Succeeded
            && LaunchAuthenticationExtensions.HasRole(result.Principal, ProductRoles.DistrictAdmin)
            && result.Principal.HasClaim(OperatorClaim, "true");
    }
}
