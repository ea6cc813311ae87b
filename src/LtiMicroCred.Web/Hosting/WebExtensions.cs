using System.Reflection;
using LtiMicroCred.Lti.Endpoints;

namespace LtiMicroCred.Web.Hosting;

public static class WebExtensions
{
    /// <summary>Razor Pages that work inside an LMS iframe: no X-Frame-Options, partitioned anti-forgery cookie.</summary>
    public static void AddPages(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(o => o.Conventions.AuthorizeFolder("/App"))
            .AddMvcOptions(o => o.Filters.Add<Pages.UseCasePageFilter>());
        builder.Services.AddAntiforgery(o =>
        {
            o.SuppressXFrameOptionsHeader = true;
            o.FormFieldName = "__csrf";
            o.Cookie.Name = "ltimc_csrf";
            // In an LMS iframe over https the cookie is cross-site: SameSite=None, Secure and partitioned (CHIPS).
            // Plain-http development serves the sandbox LMS from the same site, where Lax works and None would be dropped.
            var https = !builder.Environment.IsDevelopment() && !builder.Environment.IsEnvironment("Testing");
            o.Cookie.SameSite = https ? SameSiteMode.None : SameSiteMode.Lax;
            o.Cookie.SecurePolicy = https ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            if (https)
            {
                o.Cookie.Extensions.Add("Partitioned");
            }
        });
        UseLaunchBoundFormTokens(builder.Services);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks();
    }

    /// <summary>Wraps ASP.NET's antiforgery so pages opened with a launch token need no cookie (see <see cref="Launching.LaunchBoundAntiforgery"/>).</summary>
    private static void UseLaunchBoundFormTokens(IServiceCollection services)
    {
        var standard = services.Last(d => d.ServiceType == typeof(Microsoft.AspNetCore.Antiforgery.IAntiforgery));
        services.Remove(standard);
        var standardType = standard.ImplementationType ?? throw new InvalidOperationException("ASP.NET's antiforgery service is registered in an unexpected way.");
        services.AddSingleton(standardType);
        services.AddSingleton<Microsoft.AspNetCore.Antiforgery.IAntiforgery>(sp => ActivatorUtilities.CreateInstance<Launching.LaunchBoundAntiforgery>(sp,
            (Microsoft.AspNetCore.Antiforgery.IAntiforgery)sp.GetRequiredService(standardType)));
    }

    public static void UseWebPipeline(this WebApplication app)
    {
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.Use(async (context, next) =>
        {
            // Any LMS may frame the tool; nothing else about the page may come from elsewhere, and no inline script
            // runs (the LTI layer's few script pages set their own policy with a nonce).
            context.Response.Headers.ContentSecurityPolicy = "frame-ancestors *; default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            await next(context);
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRequestAdmission();
        app.UseRequestSizeGuard();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
    }

    /// <summary>The Canvas developer key JSON from lti-config/, with this tool's address filled in.</summary>
    public static void MapToolConfiguration(this WebApplication app)
    {
        app.MapGet("/lti/config/canvas.json", (HttpContext context) =>
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("canvas-developer-key.json")
                ?? throw new InvalidOperationException("The Canvas developer key template is not embedded.");
            using var reader = new StreamReader(stream);
            var json = reader.ReadToEnd().Replace("{{TOOL_BASE_URL}}", LtiEndpoints.BaseUrl(context), StringComparison.Ordinal);
            return Results.Text(json, "application/json");
        });
        app.MapHealthChecks("/health").DisableRateLimiting();
    }
}
