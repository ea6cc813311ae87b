using System.Text.Json;
using LtiMicroCred.Sandbox.OAuth;
using LtiMicroCred.Sandbox.Store;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.Sandbox.DeepLinking;

/// <summary>One ltiResourceLink the tool chose, with the line item to create for it when it asked for one.</summary>
internal sealed record SandboxDeepLinkedItem(
    string Title,
    string? Text,
    string? Url,
    IReadOnlyDictionary<string, string> Custom,
    string? DocumentTarget,
    SandboxDeepLinkedLineItem? LineItem);

internal sealed record SandboxDeepLinkedLineItem(double ScoreMaximum, string? Label, string? ResourceId, string? Tag);

/// <summary>A validated LtiDeepLinkingResponse: for whom, where, what, and the messages the tool wants shown.</summary>
internal sealed record SandboxDeepLinkingResult(
    SandboxPerson Person,
    SandboxCourse Course,
    IReadOnlyList<SandboxDeepLinkedItem> Items,
    string? Message,
    string? ErrorMessage);

/// <summary>
/// Checks an LtiDeepLinkingResponse the way the Deep Linking 2.0 spec asks a platform to: signed by the tool (its
/// JWKS), iss = client_id, aud = this platform, a fresh single-use nonce, the right message type, version and
/// deployment, the request's data echoed, and only the item types and options the request offered.
/// </summary>
internal sealed class SandboxDeepLinkingResponseReader(
    SandboxLms lms,
    SandboxToolJwtValidator validator,
    SandboxReplayCache replays,
    SandboxDeepLinkingData data)
{
    public async Task<(SandboxDeepLinkingResult? Result, string Problem)> ReadAsync(string? jwt, CancellationToken cancellationToken)
    {
        var (token, problem) = await validator.ValidateAsync(jwt, lms.Platform.Issuer, cancellationToken);
        if (token is null)
        {
            return (null, problem);
        }

        using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload));
        var root = payload.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var nonce = Text(JwtRegisteredClaimNames.Nonce);
        var messageType = Text(SandboxLtiClaims.MessageType);
        var version = Text(SandboxLtiClaims.Version);
        var deployment = Text(SandboxLtiClaims.DeploymentId);
        if (string.IsNullOrEmpty(nonce))
        {
            return (null, "The response has no nonce.");
        }

        if (messageType != SandboxLtiClaims.DeepLinkingResponse)
        {
            return (null, $"message_type is '{messageType}', but it must be '{SandboxLtiClaims.DeepLinkingResponse}'.");
        }

        if (version != SandboxLtiClaims.LtiVersion)
        {
            return (null, $"version is '{version}', but it must be '{SandboxLtiClaims.LtiVersion}'.");
        }

        if (deployment != lms.Options.DeploymentId)
        {
            return (null, $"deployment_id is '{deployment}', but this deployment is '{lms.Options.DeploymentId}'.");
        }

        var context = data.Read(Text(SandboxLtiClaims.DeepLinkingData), out var dataProblem);
        if (context is null)
        {
            return (null, dataProblem);
        }

        var person = lms.FindPerson(context.PersonId);
        var course = lms.FindCourse(context.CourseId);
        if (person is null || course is null)
        {
            return (null, "The data claim names a person or course this sandbox does not have.");
        }

        var items = new List<SandboxDeepLinkedItem>();
        if (root.TryGetProperty(SandboxLtiClaims.ContentItems, out var contentItems) && contentItems.ValueKind != JsonValueKind.Null)
        {
            if (contentItems.ValueKind != JsonValueKind.Array)
            {
                return (null, "content_items must be an array.");
            }

            var number = 0;
            foreach (var item in contentItems.EnumerateArray())
            {
                number++;
                var (parsed, itemProblem) = ReadItem(item);
                if (parsed is null)
                {
                    return (null, $"Content item {number}: {itemProblem}");
                }

                items.Add(parsed);
            }
        }

        // Last, so a response refused for another reason can be fixed and sent again with the same nonce.
        if (!replays.TryUse("deep-linking:" + nonce, token.ValidTo + SandboxToolJwtValidator.ClockSkew))
        {
            return (null, $"The nonce '{nonce}' was used before: this response was already received.");
        }

        return (new SandboxDeepLinkingResult(person, course, items, Text(SandboxLtiClaims.DeepLinkingMessage), Text(SandboxLtiClaims.DeepLinkingErrorMessage)),
            string.Empty);
    }

    private static (SandboxDeepLinkedItem? Item, string Problem) ReadItem(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return (null, "it is not a JSON object.");
        }

        string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        var type = Text(item, "type");
        if (type != "ltiResourceLink")
        {
            return (null, $"its type is '{type}', but the request accepted only ltiResourceLink.");
        }

        var url = Text(item, "url");
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)))
        {
            return (null, $"its url '{url}' is not an absolute http(s) URL.");
        }

        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        if (item.TryGetProperty("custom", out var customJson))
        {
            if (customJson.ValueKind != JsonValueKind.Object)
            {
                return (null, "custom must be an object.");
            }

            foreach (var property in customJson.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return (null, $"custom parameter '{property.Name}' must be a string (LTI custom values are strings).");
                }

                custom[property.Name] = property.Value.GetString()!;
            }
        }

        var target = item.TryGetProperty("window", out _) ? "window" : item.TryGetProperty("iframe", out _) ? "iframe" : null;
        SandboxDeepLinkedLineItem? lineItem = null;
        if (item.TryGetProperty("lineItem", out var li))
        {
            if (li.ValueKind != JsonValueKind.Object || !li.TryGetProperty("scoreMaximum", out var max) || max.ValueKind != JsonValueKind.Number
                || max.GetDouble() <= 0)
            {
                return (null, "lineItem must be an object with a scoreMaximum greater than 0.");
            }

            lineItem = new SandboxDeepLinkedLineItem(max.GetDouble(), Text(li, "label"), Text(li, "resourceId"), Text(li, "tag"));
        }

        var title = Text(item, "title");
        return (new SandboxDeepLinkedItem(string.IsNullOrWhiteSpace(title) ? lineItem?.Label ?? "Untitled activity" : title,
            Text(item, "text"), url, custom, target, lineItem), string.Empty);
    }
}
