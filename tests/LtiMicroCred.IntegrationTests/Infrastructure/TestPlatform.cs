using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.Tokens;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace LtiMicroCred.IntegrationTests.Infrastructure;

/// <summary>
/// A test LTI platform: its RSA key, its JWKS served by WireMock on a dynamic port, and a builder for id_tokens
/// that are valid by default and can be bent into every kind of forgery. The claims use the spec's own names.
/// </summary>
public sealed class TestPlatform : IDisposable
{
    public const string Issuer = "https://canvas.test.example";
    public const string ClientId = "10000000000042";
    public const string DeploymentId = "42:8865aa05b4b79b64a91a86042e43af5ea8ae79eb";
    public const string JwksPath = "/api/lti/security/jwks";
    public const string Kid = "platform-key-1";
    private const string Lti = "https://purl.imsglobal.org/spec/lti/claim/";

    private readonly RSA _key = RSA.Create(2048);

    public TestPlatform()
    {
        Server = WireMockServer.Start();
        ServeKeys(Jwks((Kid, _key)));
    }

    public WireMockServer Server { get; }

    public string Url => Server.Url!;

    public RSA Key => _key;

    /// <summary>Replaces what the JWKS endpoint serves.</summary>
    public void ServeKeys(string jwksJson)
    {
        Server.Given(Request.Create().WithPath(JwksPath).UsingGet())
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(jwksJson));
    }

    public int JwksRequestCount => Server.LogEntries.Count(e => e.RequestMessage.Path == JwksPath);

    /// <summary>Fails the test when the tool sent the platform anything no stub was written for.</summary>
    public void AssertNoUnexpectedRequests()
    {
        var unmatched = Server.LogEntries.Where(e => e.RequestMatchResult is null || !e.RequestMatchResult.IsPerfectMatch).ToList();
        Assert.True(unmatched.Count == 0, "Unexpected requests to the platform: " + string.Join(", ", unmatched.Select(e => e.RequestMessage.Method + " " + e.RequestMessage.Url)));
    }

    public static string Jwks(params (string Kid, RSA Key)[] keys) => JsonSerializer.Serialize(new
    {
        keys = keys.Select(k =>
        {
            var p = k.Key.ExportParameters(false);
            return new { kty = "RSA", kid = k.Kid, alg = "RS256", use = "sig", n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent) };
        }),
    });

    /// <summary>The claims of a valid resource link launch for this login.</summary>
    public static JsonObject ResourceLinkClaims(string nonce, string targetLinkUri, string subject = "user-ada-001")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["sub"] = subject,
            ["exp"] = now + 300,
            ["iat"] = now,
            ["nonce"] = nonce,
            ["name"] = "Ada Okafor",
            ["given_name"] = "Ada",
            ["family_name"] = "Okafor",
            ["email"] = "ada.okafor@district.example",
            [Lti + "message_type"] = "LtiResourceLinkRequest",
            [Lti + "version"] = "1.3.0",
            [Lti + "deployment_id"] = DeploymentId,
            [Lti + "target_link_uri"] = targetLinkUri,
            [Lti + "resource_link"] = new JsonObject { ["id"] = "rl-200", ["title"] = "Microcredentials" },
            [Lti + "roles"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"),
            [Lti + "context"] = new JsonObject
            {
                ["id"] = "ctx-4321",
                ["label"] = "MC-101",
                ["title"] = "Educator Microcredentials",
                ["type"] = new JsonArray("http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"),
            },
            [Lti + "custom"] = new JsonObject { ["canvas_account_id"] = "101" },
        };
    }

    public static JsonObject DeepLinkingClaims(string nonce, string targetLinkUri)
    {
        var claims = ResourceLinkClaims(nonce, targetLinkUri);
        claims[Lti + "message_type"] = "LtiDeepLinkingRequest";
        claims.Remove(Lti + "resource_link");
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = new JsonObject
        {
            ["deep_link_return_url"] = "https://canvas.test.example/courses/4321/deep_linking_response",
            ["accept_types"] = new JsonArray("ltiResourceLink"),
            ["accept_presentation_document_targets"] = new JsonArray("iframe", "window"),
            ["accept_multiple"] = true,
            ["data"] = "opaque-platform-data",
        };
        return claims;
    }

    public string Sign(JsonObject claims, string kid = Kid, string alg = "RS256") => SignWith(_key, claims, kid, alg);

    public static string SignWith(RSA key, JsonObject claims, string? kid, string alg = "RS256")
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        var signingInput = Encode(header.ToJsonString()) + "." + Encode(claims.ToJsonString());
        var name = alg switch { "RS384" => HashAlgorithmName.SHA384, "RS512" => HashAlgorithmName.SHA512, _ => HashAlgorithmName.SHA256 };
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), name, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64UrlEncoder.Encode(signature);
    }

    /// <summary>An unsigned token ("alg": "none").</summary>
    public static string Unsigned(JsonObject claims, string kid = Kid) =>
        Encode(new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = kid }.ToJsonString()) + "." + Encode(claims.ToJsonString()) + ".";

    /// <summary>The classic key-confusion forgery: HS256 with the platform's public key as the HMAC secret.</summary>
    public string Hs256WithPublicKey(JsonObject claims)
    {
        var signingInput = Encode(new JsonObject { ["alg"] = "HS256", ["typ"] = "JWT", ["kid"] = Kid }.ToJsonString()) + "." + Encode(claims.ToJsonString());
        var secret = Encoding.ASCII.GetBytes(_key.ExportSubjectPublicKeyInfoPem());
        return signingInput + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    public static string Encode(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));

    public void Dispose()
    {
        Server.Stop();
        Server.Dispose();
        _key.Dispose();
    }
}
