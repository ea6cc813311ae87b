using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace LtiMicroCred.Sandbox;

/// <summary>What the sandbox meant to launch, carried through the tool's login step inside lti_message_hint.</summary>
/// <remarks><paramref name="ResourceLinkId"/> is null for a deep linking request, which launches no resource link.</remarks>
internal sealed record SandboxLaunchHint(
    string PersonId,
    string CourseId,
    string MessageType,
    bool InFrame,
    DateTimeOffset ExpiresAt,
    string? ResourceLinkId);

/// <summary>
/// Packs a launch into an opaque lti_message_hint and gets it back at the auth endpoint. The hint is signed with a
/// per-process secret rather than stored, so it needs no cleanup and the tool cannot alter whom it launches.
/// </summary>
internal sealed class SandboxMessageHints(TimeProvider timeProvider)
{
    // Long enough for a slow browser or a paused debugger, short enough that an old page cannot launch again.
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);

    /// <summary>A hint for a resource link launch, or, when <paramref name="resourceLinkId"/> is null, a deep linking request.</summary>
    public string Create(SandboxPerson person, SandboxCourse course, bool inFrame, string? resourceLinkId)
    {
        var messageType = resourceLinkId is null ? SandboxLtiClaims.DeepLinkingRequest : SandboxLtiClaims.ResourceLinkRequest;
        var payload = new HintPayload(person.Id, course.Id, messageType, inFrame ? 1 : 0,
            (timeProvider.GetUtcNow() + Lifetime).ToUnixTimeSeconds(), resourceLinkId);
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        return Base64Url.EncodeToString(body) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, body));
    }

    /// <returns>The launch, or null with <paramref name="problem"/> saying in plain words what is wrong.</returns>
    public SandboxLaunchHint? Read(string hint, out string problem)
    {
        var dot = hint.IndexOf('.', StringComparison.Ordinal);
        byte[] body;
        byte[] signature;
        try
        {
            if (dot <= 0)
            {
                throw new FormatException();
            }

            body = Base64Url.DecodeFromChars(hint.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(hint.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            problem = "lti_message_hint is not a hint this sandbox issued (it is malformed).";
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(secret, body)))
        {
            problem = "lti_message_hint is not a hint this sandbox issued, or it was changed, or the server restarted since.";
            return null;
        }

        var payload = JsonSerializer.Deserialize<HintPayload>(body);
        if (payload is null)
        {
            problem = "lti_message_hint is empty.";
            return null;
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(payload.Exp);
        if (timeProvider.GetUtcNow() >= expiresAt)
        {
            problem = "lti_message_hint has expired; start the launch again from the sandbox.";
            return null;
        }

        problem = string.Empty;
        return new SandboxLaunchHint(payload.P, payload.C, payload.M, payload.F == 1, expiresAt, payload.R);
    }

    // Short names keep the hint, and so the tool's redirect URL, small.
    private sealed record HintPayload(string P, string C, string M, int F, long Exp, string? R);
}
