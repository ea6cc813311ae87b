using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace LtiMicroCred.Sandbox.DeepLinking;

/// <summary>Whom and where a deep linking request was for, recovered from the data the tool echoes back.</summary>
internal sealed record SandboxDeepLinkingContext(string PersonId, string CourseId);

/// <summary>
/// The opaque "data" value of a deep linking request. The spec makes the tool echo it unchanged, so the sandbox packs
/// the person and course into it and signs it with a per-process secret: a response carrying someone else's data, an
/// altered one or an old one is caught, with no server-side state to clean up.
/// </summary>
internal sealed class SandboxDeepLinkingData(TimeProvider timeProvider)
{
    // Choosing content can take a while; an hour is generous without letting an old request be answered days later.
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);

    public string Create(SandboxPerson person, SandboxCourse course)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Payload(person.Id, course.Id,
            (timeProvider.GetUtcNow() + Lifetime).ToUnixTimeSeconds(), Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(9))));
        return Base64Url.EncodeToString(body) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, body));
    }

    /// <returns>The context, or null with <paramref name="problem"/> saying what is wrong.</returns>
    public SandboxDeepLinkingContext? Read(string? data, out string problem)
    {
        if (string.IsNullOrEmpty(data))
        {
            problem = "The response has no data claim, but the request sent one; the tool must echo it unchanged.";
            return null;
        }

        var dot = data.IndexOf('.', StringComparison.Ordinal);
        byte[] body;
        byte[] signature;
        try
        {
            if (dot <= 0)
            {
                throw new FormatException();
            }

            body = Base64Url.DecodeFromChars(data.AsSpan(0, dot));
            signature = Base64Url.DecodeFromChars(data.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            problem = "The data claim is not the value this sandbox sent (it is malformed).";
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(secret, body)))
        {
            problem = "The data claim is not the value this sandbox sent: it was changed, or the server restarted since the request.";
            return null;
        }

        var payload = JsonSerializer.Deserialize<Payload>(body);
        if (payload is null || timeProvider.GetUtcNow() >= DateTimeOffset.FromUnixTimeSeconds(payload.Exp))
        {
            problem = "The deep linking request this answers has expired; start again from the course page.";
            return null;
        }

        problem = string.Empty;
        return new SandboxDeepLinkingContext(payload.P, payload.C);
    }

    // N makes every request's data distinct, so two requests for the same person never look alike.
    private sealed record Payload(string P, string C, long Exp, string N);
}
