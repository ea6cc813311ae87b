using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Claims;
using LtiMicroCred.Lti.DeepLinking;
using LtiMicroCred.LtiServiceTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace LtiMicroCred.LtiServiceTests;

/// <summary>The signed LtiDeepLinkingResponse (LTI Deep Linking 2.0) and what the request's settings allow.</summary>
public sealed class DeepLinkingTests
{
    private const string DeploymentId = "1:4dde05e8ca1973bcca9bffc13e1548820eee93a3";
    private const string Data = "csrftoken:c7fbba78-7b75-46e3-9201-11e6d5f36f53";
    private const string ContentItemsClaim = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items";

    private static readonly LtiResourceLinkItem GradedLink = new()
    {
        Title = "Data Literacy badge",
        Text = "Earn the Data Literacy microcredential.",
        Url = "https://tool.example.com/lti/launch",
        Custom = new Dictionary<string, string> { ["credential_id"] = "42", ["placement"] = "assignment" },
        LineItem = new DeepLinkLineItem(100, "Data Literacy badge", "credential-42", "microcredential"),
    };

    private static readonly LtiResourceLinkItem PlainLink = new() { Title = "Credential catalogue" };

    [Fact]
    public async Task Response_is_signed_by_the_tool_key_and_carries_the_items_as_json_objects()
    {
        using var h = await LtiHarness.StartAsync();

        var jwt = await h.DeepLinking.BuildAsync(h.Platform, DeploymentId, Settings(), [GradedLink, PlainLink], message: "2 items placed");

        var jwks = await h.ToolKeys.GetPublicKeySetAsync(CancellationToken.None);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.Keys,
            ValidIssuer = LtiHarness.ClientId,
            ValidAudience = LtiHarness.Issuer,
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.Zero,
        });
        Assert.True(result.IsValid, result.Exception?.ToString());
        var token = (JsonWebToken)result.SecurityToken;
        Assert.Equal(("RS256", "JWT", jwks.Keys[0].Kid), (token.Alg, token.Typ, token.Kid));
        Assert.Equal(DeepLinkingResponseBuilder.Lifetime, token.ValidTo - token.IssuedAt);
        Assert.False(string.IsNullOrWhiteSpace(token.GetClaim(JwtRegisteredClaimNames.Nonce).Value));

        var payload = Payload(jwt);
        Assert.Equal("LtiDeepLinkingResponse", (string)payload[LtiClaimNames.MessageType]!);
        Assert.Equal("1.3.0", (string)payload[LtiClaimNames.Version]!);
        Assert.Equal(DeploymentId, (string)payload[LtiClaimNames.DeploymentId]!);
        Assert.Equal(Data, (string)payload["https://purl.imsglobal.org/spec/lti-dl/claim/data"]!);
        var items = Assert.IsType<JsonArray>(payload[ContentItemsClaim]);
        Assert.Equal(2, items.Count);
        var graded = Assert.IsType<JsonObject>(items[0]);
        Assert.Equal("ltiResourceLink", (string)graded["type"]!);
        var custom = Assert.IsType<JsonObject>(graded["custom"]);
        Assert.Equal("42", (string)custom["credential_id"]!);
        var lineItem = Assert.IsType<JsonObject>(graded["lineItem"]);
        Assert.Equal(JsonValueKind.Number, lineItem["scoreMaximum"]!.GetValueKind());
        Assert.Equal(100, (double)lineItem["scoreMaximum"]!);
        Assert.Equal(("Data Literacy badge", "credential-42", "microcredential"), ((string)lineItem["label"]!, (string)lineItem["resourceId"]!, (string)lineItem["tag"]!));
        var plain = Assert.IsType<JsonObject>(items[1]);
        Assert.False(plain.ContainsKey("lineItem"));
        Assert.False(plain.ContainsKey("custom"));
    }

    [Fact]
    public async Task Response_payload_matches_the_golden_file()
    {
        using var h = await LtiHarness.StartAsync();

        var jwt = await h.DeepLinking.BuildAsync(h.Platform, DeploymentId, Settings(), [GradedLink, PlainLink], message: "2 items placed");

        var payload = Payload(jwt);
        foreach (var changing in new[] { "iat", "nbf", "exp", "nonce" })
        {
            Assert.True(payload.Remove(changing), $"{changing} missing");
        }

        var golden = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", "deep_linking_response.json")));
        JsonAssert.Equivalent(golden, payload);
    }

    [Fact]
    public async Task Response_without_data_in_the_request_has_no_data_claim()
    {
        using var h = await LtiHarness.StartAsync();

        var jwt = await h.DeepLinking.BuildAsync(h.Platform, DeploymentId, Settings() with { Data = null }, [PlainLink], errorMessage: "Nothing to place");

        var payload = Payload(jwt);
        Assert.False(payload.ContainsKey("https://purl.imsglobal.org/spec/lti-dl/claim/data"));
        Assert.False(payload.ContainsKey("https://purl.imsglobal.org/spec/lti-dl/claim/msg"));
        Assert.Equal("Nothing to place", (string)payload["https://purl.imsglobal.org/spec/lti-dl/claim/errormsg"]!);
    }

    [Fact]
    public async Task Empty_item_list_is_allowed_whatever_the_settings_and_sends_an_empty_array()
    {
        using var h = await LtiHarness.StartAsync();
        var strict = Settings(acceptTypes: [], acceptMultiple: false) with { AcceptLineItem = false };

        DeepLinkingResponseBuilder.EnsureAccepted(strict, []);
        var jwt = await h.DeepLinking.BuildAsync(h.Platform, DeploymentId, strict, []);

        var items = Assert.IsType<JsonArray>(Payload(jwt)[ContentItemsClaim]);
        Assert.Empty(items);
        Assert.Equal(Data, (string)Payload(jwt)["https://purl.imsglobal.org/spec/lti-dl/claim/data"]!);
    }

    [Fact]
    public async Task Type_not_accepted_is_refused()
    {
        using var h = await LtiHarness.StartAsync();
        var settings = Settings(acceptTypes: ["link", "file", "html"]);

        Assert.Throws<DeepLinkingNotAcceptedException>(() => DeepLinkingResponseBuilder.EnsureAccepted(settings, [PlainLink]));
        await Assert.ThrowsAsync<DeepLinkingNotAcceptedException>(() => h.DeepLinking.BuildAsync(h.Platform, DeploymentId, settings, [PlainLink]));
    }

    [Fact]
    public async Task Several_items_when_accept_multiple_is_false_are_refused_but_one_is_fine()
    {
        using var h = await LtiHarness.StartAsync();
        var settings = Settings(acceptMultiple: false);

        Assert.Throws<DeepLinkingNotAcceptedException>(() => DeepLinkingResponseBuilder.EnsureAccepted(settings, [PlainLink, PlainLink with { Title = "Other" }]));
        await Assert.ThrowsAsync<DeepLinkingNotAcceptedException>(() => h.DeepLinking.BuildAsync(h.Platform, DeploymentId, settings, [GradedLink, PlainLink]));
        DeepLinkingResponseBuilder.EnsureAccepted(settings, [GradedLink]);
        var jwt = await h.DeepLinking.BuildAsync(h.Platform, DeploymentId, settings, [GradedLink]);
        Assert.Single(Assert.IsType<JsonArray>(Payload(jwt)[ContentItemsClaim]));
    }

    [Fact]
    public async Task Line_item_when_accept_lineitem_is_false_is_refused_but_a_plain_link_is_fine()
    {
        using var h = await LtiHarness.StartAsync();
        var settings = Settings() with { AcceptLineItem = false };

        Assert.Throws<DeepLinkingNotAcceptedException>(() => DeepLinkingResponseBuilder.EnsureAccepted(settings, [PlainLink, GradedLink]));
        await Assert.ThrowsAsync<DeepLinkingNotAcceptedException>(() => h.DeepLinking.BuildAsync(h.Platform, DeploymentId, settings, [GradedLink]));
        DeepLinkingResponseBuilder.EnsureAccepted(settings, [PlainLink]);
        var jwt = await h.DeepLinking.BuildAsync(h.Platform, DeploymentId, settings, [PlainLink]);
        Assert.Single(Assert.IsType<JsonArray>(Payload(jwt)[ContentItemsClaim]));
    }

    private static DeepLinkingSettingsClaim Settings(string[]? acceptTypes = null, bool acceptMultiple = true) => new(
        "https://canvas.instructure.com/courses/4321/deep_linking_response",
        acceptTypes ?? ["ltiResourceLink"],
        ["iframe", "window"],
        acceptMultiple,
        AutoCreate: false,
        Title: "Add a microcredential",
        Text: null,
        Data: Data);

    private static JsonObject Payload(string jwt) =>
        JsonNode.Parse(Base64UrlEncoder.Decode(new JsonWebToken(jwt).EncodedPayload))!.AsObject();
}
