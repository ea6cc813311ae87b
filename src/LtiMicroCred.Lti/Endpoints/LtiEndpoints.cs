using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Launch;
using LtiMicroCred.Lti.Login;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Registration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LtiMicroCred.Lti.Endpoints;

/// <summary>The tool's LTI 1.3 HTTP surface: login initiation, launch, and the public key set.</summary>
public static partial class LtiEndpoints
{
    public const string LoginPath = "/lti/login";
    public const string LaunchPath = "/lti/launch";
    public const string JwksPath = "/.well-known/jwks.json";
    public const string RegistrationPath = "/lti/register";
    public const string BindingField = "lti_browser_binding";
    private const string BindingCookiePrefix = "ltimc_bind_";
    private const string LogCategory = "LtiMicroCred.Lti.Endpoints";

    public static IEndpointRouteBuilder MapLtiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(LoginPath, [HttpMethods.Get, HttpMethods.Post], LoginAsync).DisableAntiforgery().WithName("LtiLogin");
        endpoints.MapPost(LaunchPath, LaunchAsync).DisableAntiforgery().WithName("LtiLaunch");
        endpoints.MapGet(JwksPath, JwksAsync).WithName("ToolJwks");
        endpoints.MapGet(RegistrationPath, RegisterAsync).WithName("LtiDynamicRegistration");
        return endpoints;
    }

    /// <summary>The tool's public base address: configured, or else the one this request came in on.</summary>
    public static string BaseUrl(HttpContext context)
    {
        var configured = context.RequestServices.GetRequiredService<IOptions<LtiOptions>>().Value.PublicBaseUrl;
        return string.IsNullOrWhiteSpace(configured)
            ? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}"
            : configured.TrimEnd('/');
    }

    private static async Task<IResult> LoginAsync(HttpContext context, OidcLoginService login, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var values = context.Request.HasFormContentType ? (IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>>)await context.Request.ReadFormAsync(cancellationToken) : context.Request.Query;
        var map = values.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal);
        var request = new LoginInitiationRequest(
            map.GetValueOrDefault("iss"),
            map.GetValueOrDefault("login_hint"),
            map.GetValueOrDefault("target_link_uri"),
            map.GetValueOrDefault("lti_message_hint"),
            map.GetValueOrDefault("client_id"),
            map.GetValueOrDefault("lti_deployment_id"),
            map.GetValueOrDefault("lti_storage_target"));
        try
        {
            var redirect = await login.BeginAsync(request, new Uri(BaseUrl(context) + LaunchPath), cancellationToken);
            SetBindingCookie(context, redirect.State, redirect.BrowserBindingSecret);
            return redirect.StorageTarget is { } target
                ? LtiPages.StoreStateThenRedirect(redirect.AuthorizationUrl, redirect.State, redirect.BrowserBindingSecret, target)
                : Results.Redirect(redirect.AuthorizationUrl.ToString());
        }
        catch (LaunchRejectedException rejection)
        {
            LogRejected(loggers.CreateLogger(LogCategory), "login", rejection.Reason, rejection.Issuer ?? request.Issuer, rejection.Detail);
            return LtiPages.Rejection(context, rejection);
        }
    }

    private static async Task<IResult> LaunchAsync(
        HttpContext context,
        ILaunchStateStore states,
        IPlatformRegistry platforms,
        LaunchValidator validator,
        ILtiLaunchHandler handler,
        IOptions<LtiOptions> options,
        TimeProvider timeProvider,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        LaunchState? state = null;
        string? issuer = null;
        try
        {
            if (!context.Request.HasFormContentType)
            {
                throw new LaunchRejectedException(LaunchRejectionReason.NotAFormPost);
            }

            var form = await context.Request.ReadFormAsync(cancellationToken);
            var idToken = form["id_token"].ToString();
            var stateValue = form["state"].ToString();
            if (string.IsNullOrEmpty(idToken))
            {
                throw new LaunchRejectedException(LaunchRejectionReason.MissingIdToken);
            }

            if (idToken.Length > options.Value.MaxIdTokenLength)
            {
                throw new LaunchRejectedException(LaunchRejectionReason.TokenTooLarge);
            }

            if (string.IsNullOrEmpty(stateValue))
            {
                throw new LaunchRejectedException(LaunchRejectionReason.MissingState);
            }

            var binding = context.Request.Cookies[BindingCookieName(stateValue)] ?? NullIfEmpty(form[BindingField].ToString());
            if (binding is null)
            {
                state = await states.FindAsync(stateValue, cancellationToken)
                    ?? throw new LaunchRejectedException(LaunchRejectionReason.UnknownState);
                var unbound = await platforms.GetAsync(state.PlatformId, cancellationToken)
                    ?? throw new LaunchRejectedException(LaunchRejectionReason.UnknownPlatform);
                if (state.StorageTarget is not { } target)
                {
                    throw new LaunchRejectedException(LaunchRejectionReason.StateNotBoundToBrowser, unbound.Issuer);
                }

                // Cookies are blocked in this frame: fetch the binding from the platform's storage and post again.
                var origin = new Uri(unbound.AuthorizationEndpoint).GetLeftPart(UriPartial.Authority);
                return LtiPages.FetchStateThenPost(BaseUrl(context) + LaunchPath, idToken, stateValue, target, origin);
            }

            // The state is read and used up in one step; a refusal still names the platform of a state that exists.
            var take = await states.TakeAsync(stateValue, OidcLoginService.HashBinding(binding), timeProvider.GetUtcNow(), cancellationToken);
            state = take.State ?? throw new LaunchRejectedException(LaunchRejectionReason.UnknownState);
            var platform = await platforms.GetAsync(state.PlatformId, cancellationToken)
                ?? throw new LaunchRejectedException(LaunchRejectionReason.UnknownPlatform);
            issuer = platform.Issuer;
            if (take.Outcome != LaunchStateTakeOutcome.Taken)
            {
                throw new LaunchRejectedException(take.Outcome switch
                {
                    LaunchStateTakeOutcome.NotBoundToBrowser => LaunchRejectionReason.StateNotBoundToBrowser,
                    LaunchStateTakeOutcome.AlreadyUsed => LaunchRejectionReason.StateAlreadyUsed,
                    LaunchStateTakeOutcome.Expired => LaunchRejectionReason.StateExpired,
                    _ => LaunchRejectionReason.UnknownState,
                }, issuer);
            }

            // A partitioned cookie is only removed by a Set-Cookie that is partitioned too.
            var expired = new CookieOptions { Path = "/lti", Secure = true, SameSite = SameSiteMode.None, HttpOnly = true };
            expired.Extensions.Add("Partitioned");
            context.Response.Cookies.Delete(BindingCookieName(stateValue), expired);
            var message = await validator.ValidateAsync(idToken, state, cancellationToken);
            var logger = loggers.CreateLogger(LogCategory);
            LogAccepted(logger, message.MessageType, issuer);
            return await handler.HandleAsync(context, platform, message, cancellationToken);
        }
        catch (LaunchRejectedException rejection)
        {
            LogRejected(loggers.CreateLogger(LogCategory), "launch", rejection.Reason, rejection.Issuer ?? issuer, rejection.Detail);
            return LtiPages.Rejection(context, rejection);
        }
        catch (InvalidDataException)
        {
            // The form was larger than the server accepts.
            var rejection = new LaunchRejectedException(LaunchRejectionReason.TokenTooLarge);
            LogRejected(loggers.CreateLogger(LogCategory), "launch", rejection.Reason, issuer, null);
            return LtiPages.Rejection(context, rejection);
        }
    }

    private static async Task<IResult> JwksAsync(HttpContext context, ToolKeySet keys, CancellationToken cancellationToken)
    {
        var set = await keys.GetPublicKeySetAsync(cancellationToken);
        context.Response.Headers.CacheControl = "public, max-age=300";
        var json = new
        {
            keys = set.Keys.Select(k => new { kty = k.Kty, kid = k.Kid, alg = k.Alg, use = k.Use, n = k.N, e = k.E }),
        };
        return Results.Json(json);
    }

    private static async Task<IResult> RegisterAsync(
        HttpContext context,
        DynamicRegistrationClient client,
        IDynamicRegistrationStore store,
        IOptions<LtiOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger(LogCategory);
        var configurationUrl = context.Request.Query["openid_configuration"].ToString();
        if (!Uri.TryCreate(configurationUrl, UriKind.Absolute, out var configurationUri))
        {
            return LtiPages.Registration(false, "Open this address from your LMS's tool registration page: it needs the LMS's openid_configuration.");
        }

        var invitation = NullIfEmpty(context.Request.Query["invitation"].ToString());
        if (invitation is not null && !await store.AcceptsInvitationAsync(invitation, cancellationToken))
        {
            LogRegistration(logger, "refused (invitation expired or not valid)", configurationUri.Host);
            return LtiPages.Registration(false, "This registration link has expired or is not valid. Ask your district administrator for a new one from the tool's LMS platforms page.");
        }

        if (invitation is null && !options.Value.AllowOpenRegistration && await store.HasPlatformsAsync(cancellationToken))
        {
            LogRegistration(logger, "refused (no invitation)", configurationUri.Host);
            return LtiPages.Registration(false, "This tool registers an LMS only through a registration link from a district administrator: ask yours for the link on the tool's LMS platforms page.");
        }

        try
        {
            var request = new ToolRegistrationRequest(
                BaseUrl(context),
                options.Value.ToolName,
                "Educator microcredentials: catalog, plans, evidence, review and awards.",
                ToolScopes,
                new Dictionary<string, string>(StringComparer.Ordinal));
            var registration = await client.RegisterAsync(configurationUri, NullIfEmpty(context.Request.Query["registration_token"].ToString()), request, cancellationToken);
            if (!await store.TryAddAsync(registration, invitation, cancellationToken))
            {
                LogRegistration(logger, "refused (already registered)", registration.Platform.Issuer);
                return LtiPages.Registration(false, "This LMS registration already exists. A district administrator can update it in the tool.");
            }

            LogRegistration(logger, "completed", registration.Platform.Issuer);
            return LtiPages.Registration(true, $"LtiMicroCred is registered with {registration.Platform.Issuer} (client id {registration.ClientId}, deployment {registration.DeploymentId}).");
        }
        catch (DynamicRegistrationException ex)
        {
            LogRegistration(logger, "failed: " + ex.Message, configurationUri.Host);
            return LtiPages.Registration(false, ex.Message);
        }
    }

    /// <summary>The LTI Advantage scopes the tool asks for: grades, line items, results and rosters.</summary>
    private static readonly string[] ToolScopes =
    [
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
        "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    ];

    private static void SetBindingCookie(HttpContext context, string state, string secret)
    {
        var options = new CookieOptions
        {
            HttpOnly = true,
            Secure = true,
            SameSite = SameSiteMode.None,
            Path = "/lti",
            MaxAge = context.RequestServices.GetRequiredService<IOptions<LtiOptions>>().Value.LaunchStateLifetime,
            IsEssential = true,
        };
        // Partitioned (CHIPS) lets the cookie live in the LMS iframe even where third-party cookies are blocked.
        options.Extensions.Add("Partitioned");
        context.Response.Cookies.Append(BindingCookieName(state), secret, options);
    }

    private static string BindingCookieName(string state) => BindingCookiePrefix + (state.Length > 16 ? state[..16] : state);

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "LTI {Stage} rejected: {Reason} (issuer {Issuer}) {Detail}")]
    private static partial void LogRejected(ILogger logger, string stage, LaunchRejectionReason reason, string? issuer, string? detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "LTI dynamic registration {Outcome} ({Platform})")]
    private static partial void LogRegistration(ILogger logger, string outcome, string platform);

    [LoggerMessage(Level = LogLevel.Information, Message = "LTI launch accepted: {MessageType} from issuer {Issuer}")]
    private static partial void LogAccepted(ILogger logger, string messageType, string issuer);
}
