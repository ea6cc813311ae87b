using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace LtiMicroCred.Sandbox.Http;

/// <summary>
/// Signs small values that make a round trip through the browser (the REST consent form), with a per-process
/// secret, so the sandbox can trust them when they come back without keeping any state.
/// </summary>
internal sealed class SandboxSeal
{
    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);

    public string Seal<T>(T payload)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(payload);
        return Base64Url.EncodeToString(body) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, body));
    }

    /// <returns>The payload, or null when the value is malformed or was not sealed by this process.</returns>
    public T? Unseal<T>(string? value) where T : class
    {
        var dot = value?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (value is null || dot <= 0)
        {
            return null;
        }

        try
        {
            var body = Base64Url.DecodeFromChars(value.AsSpan(0, dot));
            var signature = Base64Url.DecodeFromChars(value.AsSpan(dot + 1));
            return CryptographicOperations.FixedTimeEquals(signature, HMACSHA256.HashData(secret, body))
                ? JsonSerializer.Deserialize<T>(body)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
