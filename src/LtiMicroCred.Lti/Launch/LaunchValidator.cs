using System.Text;
using System.Text.Json;
using LtiMicroCred.Lti.Claims;
using LtiMicroCred.Lti.Keys;
using LtiMicroCred.Lti.Login;
using LtiMicroCred.Lti.Platforms;
using LtiMicroCred.Lti.Roles;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Lti.Launch;

/// <summary>
/// Step two of the LTI 1.3 launch: validates the id_token the platform posted against the login that started it,
/// and turns its claims into a typed <see cref="LtiLaunchMessage"/>. Every refusal is a
/// <see cref="LaunchRejectedException"/> naming its reason.
/// </summary>
public sealed class LaunchValidator(
    IPlatformRegistry platforms,
    PlatformKeyCache platformKeys,
    IOptions<LtiOptions> options,
    TimeProvider timeProvider)
{
    private const string LtiVersion = "1.3.0";
    private static readonly JsonWebTokenHandler Handler = new() { MapInboundClaims = false };

    public async Task<LtiLaunchMessage> ValidateAsync(string idToken, LaunchState state, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (idToken.Length > settings.MaxIdTokenLength)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.TokenTooLarge);
        }

        var token = Read(idToken);
        var payload = ReadPayload(token);
        var platform = await platforms.GetAsync(state.PlatformId, cancellationToken)
            ?? throw new LaunchRejectedException(LaunchRejectionReason.UnknownPlatform);

        var issuer = OptionalString(payload, "iss");
        if (!string.Equals(issuer, platform.Issuer, StringComparison.Ordinal))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.WrongIssuer, issuer);
        }

        var key = await FindKeyAsync(platform, token.Kid, cancellationToken);
        await ValidateSignatureAsync(idToken, platform, key);
        ValidateTimes(payload, platform.Issuer, settings.ClockSkew);
        ValidateAudience(payload, platform);

        var nonce = OptionalString(payload, "nonce");
        if (string.IsNullOrEmpty(nonce))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingNonce, platform.Issuer);
        }

        if (!string.Equals(nonce, state.Nonce, StringComparison.Ordinal))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.NonceMismatch, platform.Issuer);
        }

        var message = ReadLtiClaims(payload, platform);
        if (!await platforms.IsDeploymentRegisteredAsync(platform.Id, message.DeploymentId, cancellationToken))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.UnknownDeployment, platform.Issuer);
        }

        if (message.MessageType == LtiMessageTypes.ResourceLinkRequest
            && !string.Equals(message.TargetLinkUri, state.TargetLinkUri, StringComparison.Ordinal))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.TargetLinkUriMismatch, platform.Issuer);
        }

        return message;
    }

    private static JsonWebToken Read(string idToken)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(idToken);
        }
        catch (Exception ex) when (ex is ArgumentException or SecurityTokenMalformedException or JsonException)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MalformedToken);
        }

        if (token.IsEncrypted)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.EncryptedToken);
        }

        if (!string.Equals(token.Alg, SecurityAlgorithms.RsaSha256, StringComparison.Ordinal))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.UnsupportedAlgorithm);
        }

        if (string.IsNullOrEmpty(token.Kid))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingKeyId);
        }

        return token;
    }

    private static JsonElement ReadPayload(JsonWebToken token)
    {
        try
        {
            using var document = JsonDocument.Parse(Encoding.UTF8.GetBytes(Base64UrlEncoder.Decode(token.EncodedPayload)));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LaunchRejectedException(LaunchRejectionReason.MalformedToken);
            }

            return document.RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MalformedToken);
        }
    }

    private async Task<SecurityKey> FindKeyAsync(LtiPlatform platform, string kid, CancellationToken cancellationToken)
    {
        try
        {
            return await platformKeys.FindKeyAsync(platform.JwksUrl, kid, cancellationToken)
                ?? throw new LaunchRejectedException(LaunchRejectionReason.UnknownKeyId, platform.Issuer);
        }
        catch (PlatformKeysUnavailableException)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.PlatformKeysUnavailable, platform.Issuer);
        }
    }

    private static async Task ValidateSignatureAsync(string idToken, LtiPlatform platform, SecurityKey key)
    {
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = platform.Issuer,
            ValidateAudience = false, // checked below: LTI allows an array with azp
            ValidateLifetime = false, // checked below against the injected clock, with a reason per claim
            RequireExpirationTime = false,
            RequireSignedTokens = true,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        };
        var result = await Handler.ValidateTokenAsync(idToken, parameters);
        if (result.IsValid)
        {
            return;
        }

        var reason = result.Exception switch
        {
            SecurityTokenInvalidIssuerException => LaunchRejectionReason.WrongIssuer,
            SecurityTokenInvalidAlgorithmException => LaunchRejectionReason.UnsupportedAlgorithm,
            SecurityTokenMalformedException => LaunchRejectionReason.MalformedToken,
            _ => LaunchRejectionReason.InvalidSignature,
        };
        throw new LaunchRejectedException(reason, platform.Issuer);
    }

    private void ValidateTimes(JsonElement payload, string issuer, TimeSpan skew)
    {
        var now = timeProvider.GetUtcNow();
        if (!TryReadTime(payload, "exp", out var expires))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingExpiry, issuer);
        }

        if (expires + skew < now)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.Expired, issuer);
        }

        if (payload.TryGetProperty("nbf", out _) && (!TryReadTime(payload, "nbf", out var notBefore) || notBefore - skew > now))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.NotYetValid, issuer);
        }

        if (!TryReadTime(payload, "iat", out var issuedAt))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingIssuedAt, issuer);
        }

        if (issuedAt > now + skew)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.IssuedInFuture, issuer);
        }
    }

    private static bool TryReadTime(JsonElement payload, string name, out DateTimeOffset time)
    {
        time = default;
        if (!payload.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds)
            || seconds < 0 || seconds > 253402300799)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeSeconds((long)seconds);
        return true;
    }

    private static void ValidateAudience(JsonElement payload, LtiPlatform platform)
    {
        List<string> audiences = payload.TryGetProperty("aud", out var aud) ? aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToList(),
            _ => [],
        } : [];

        if (audiences.Count == 0)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingAudience, platform.Issuer);
        }

        if (!audiences.Contains(platform.ClientId, StringComparer.Ordinal))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.WrongAudience, platform.Issuer);
        }

        var azp = OptionalString(payload, "azp");
        if (audiences.Count > 1 && azp is null)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingAuthorizedParty, platform.Issuer);
        }

        if (azp is not null && !string.Equals(azp, platform.ClientId, StringComparison.Ordinal))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.WrongAuthorizedParty, platform.Issuer);
        }
    }

    private static LtiLaunchMessage ReadLtiClaims(JsonElement payload, LtiPlatform platform)
    {
        var issuer = platform.Issuer;
        var messageType = OptionalString(payload, LtiClaimNames.MessageType)
            ?? throw new LaunchRejectedException(LaunchRejectionReason.MissingMessageType, issuer);
        if (messageType is not (LtiMessageTypes.ResourceLinkRequest or LtiMessageTypes.DeepLinkingRequest))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.UnknownMessageType, issuer);
        }

        var version = OptionalString(payload, LtiClaimNames.Version)
            ?? throw new LaunchRejectedException(LaunchRejectionReason.MissingVersion, issuer);
        if (version != LtiVersion)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.WrongVersion, issuer);
        }

        var deploymentId = OptionalString(payload, LtiClaimNames.DeploymentId)
            ?? throw new LaunchRejectedException(LaunchRejectionReason.MissingDeploymentId, issuer);
        var subject = OptionalString(payload, "sub")
            ?? throw new LaunchRejectedException(LaunchRejectionReason.MissingSubject, issuer);
        if (subject.Length > 255)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MalformedClaim, issuer, "sub");
        }

        if (!payload.TryGetProperty(LtiClaimNames.Roles, out var rolesElement))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingRoles, issuer);
        }

        if (rolesElement.ValueKind != JsonValueKind.Array || rolesElement.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MalformedClaim, issuer, "roles");
        }

        var message = new LtiLaunchMessage
        {
            Issuer = issuer,
            ClientId = platform.ClientId,
            DeploymentId = deploymentId,
            MessageType = messageType,
            Version = version,
            Subject = subject,
            TargetLinkUri = OptionalString(payload, LtiClaimNames.TargetLinkUri),
            Name = OptionalString(payload, "name"),
            GivenName = OptionalString(payload, "given_name"),
            FamilyName = OptionalString(payload, "family_name"),
            Email = OptionalString(payload, "email"),
            Roles = LtiRole.ParseAll(rolesElement.EnumerateArray().Select(r => r.GetString()!)),
            Context = ReadContext(payload, issuer),
            ToolPlatform = ReadObject(payload, LtiClaimNames.ToolPlatform, issuer) is { } tp
                ? new ToolPlatformClaim(OptionalString(tp, "guid"), OptionalString(tp, "name"), OptionalString(tp, "product_family_code"), OptionalString(tp, "version"))
                : null,
            LaunchPresentation = ReadObject(payload, LtiClaimNames.LaunchPresentation, issuer) is { } lp
                ? new LaunchPresentationClaim(OptionalString(lp, "document_target"), OptionalString(lp, "return_url"), OptionalString(lp, "locale"))
                : null,
            Custom = ReadCustom(payload, issuer),
            Ags = ReadAgs(payload, issuer),
            Nrps = ReadNrps(payload, issuer),
        };

        return messageType == LtiMessageTypes.ResourceLinkRequest
            ? WithResourceLink(message, payload, issuer)
            : WithDeepLinkingSettings(message, payload, issuer);
    }

    private static LtiLaunchMessage WithResourceLink(LtiLaunchMessage message, JsonElement payload, string issuer)
    {
        var link = ReadObject(payload, LtiClaimNames.ResourceLink, issuer);
        var id = link is { } l ? OptionalString(l, "id") : null;
        if (id is null)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingResourceLink, issuer);
        }

        if (message.TargetLinkUri is null)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingTargetLinkUriClaim, issuer);
        }

        return message with { ResourceLink = new ResourceLinkClaim(id, OptionalString(link!.Value, "title"), OptionalString(link.Value, "description")) };
    }

    private static LtiLaunchMessage WithDeepLinkingSettings(LtiLaunchMessage message, JsonElement payload, string issuer)
    {
        var settings = ReadObject(payload, LtiClaimNames.DeepLinkingSettings, issuer);
        var returnUrl = settings is { } s ? OptionalString(s, "deep_link_return_url") : null;
        if (settings is null || returnUrl is null || !Uri.TryCreate(returnUrl, UriKind.Absolute, out _)
            || !settings.Value.TryGetProperty("accept_types", out var acceptTypes) || acceptTypes.ValueKind != JsonValueKind.Array)
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MissingDeepLinkingSettings, issuer);
        }

        var value = settings.Value;
        return message with
        {
            DeepLinkingSettings = new DeepLinkingSettingsClaim(
                returnUrl,
                StringArray(acceptTypes),
                value.TryGetProperty("accept_presentation_document_targets", out var targets) ? StringArray(targets) : [],
                OptionalBool(value, "accept_multiple"),
                OptionalBool(value, "auto_create"),
                OptionalString(value, "title"),
                OptionalString(value, "text"),
                OptionalString(value, "data"))
            {
                AcceptLineItem = !value.TryGetProperty("accept_lineitem", out var acceptLineItem) || acceptLineItem.ValueKind != JsonValueKind.False,
            },
        };
    }

    private static AgsEndpointClaim? ReadAgs(JsonElement payload, string issuer)
    {
        if (ReadObject(payload, LtiClaimNames.AgsEndpoint, issuer) is not { } ags)
        {
            return null;
        }

        var lineItems = OptionalString(ags, "lineitems");
        var lineItem = OptionalString(ags, "lineitem");
        if ((lineItems is not null && !IsAbsoluteUrl(lineItems)) || (lineItem is not null && !IsAbsoluteUrl(lineItem)))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MalformedClaim, issuer, LtiClaimNames.AgsEndpoint);
        }

        return new AgsEndpointClaim(ags.TryGetProperty("scope", out var scope) ? StringArray(scope) : [], lineItems, lineItem);
    }

    private static NrpsClaim? ReadNrps(JsonElement payload, string issuer)
    {
        if (ReadObject(payload, LtiClaimNames.NrpsService, issuer) is not { } nrps)
        {
            return null;
        }

        var url = OptionalString(nrps, "context_memberships_url");
        if (url is null || !IsAbsoluteUrl(url))
        {
            throw new LaunchRejectedException(LaunchRejectionReason.MalformedClaim, issuer, LtiClaimNames.NrpsService);
        }

        return new NrpsClaim(url, nrps.TryGetProperty("service_versions", out var versions) ? StringArray(versions) : []);
    }

    private static bool IsAbsoluteUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static ContextClaim? ReadContext(JsonElement payload, string issuer)
    {
        if (ReadObject(payload, LtiClaimNames.Context, issuer) is not { } context)
        {
            return null;
        }

        var id = OptionalString(context, "id") ?? throw new LaunchRejectedException(LaunchRejectionReason.MalformedClaim, issuer, "context.id");
        var types = context.TryGetProperty("type", out var t) ? StringArray(t) : [];
        return new ContextClaim(id, OptionalString(context, "label"), OptionalString(context, "title"), types);
    }

    private static Dictionary<string, string> ReadCustom(JsonElement payload, string issuer)
    {
        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ReadObject(payload, LtiClaimNames.Custom, issuer) is { } element)
        {
            foreach (var property in element.EnumerateObject())
            {
                custom[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return custom;
    }

    private static JsonElement? ReadObject(JsonElement payload, string name, string issuer)
    {
        if (!payload.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? value
            : throw new LaunchRejectedException(LaunchRejectionReason.MalformedClaim, issuer, name);
    }

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static bool OptionalBool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static List<string> StringArray(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array
            ? element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
