using System.Net;
using System.Text.Json.Nodes;
using LtiMicroCred.Lti.Services;
using LtiMicroCred.Lti.Services.Ags;
using LtiMicroCred.LtiServiceTests.Infrastructure;

namespace LtiMicroCred.LtiServiceTests;

/// <summary>
/// Canvas's error shapes (contract 11), throttling (10), token refresh on 401, and the resilience handler's retries
/// (3 retries configured, tiny delays).
/// </summary>
public sealed class ErrorAndRetryTests
{
    private const string Bearer = "Bearer " + LtiHarness.ContractToken;

    [Fact]
    public async Task Persistent_401_gets_one_fresh_token_and_one_retry_then_is_Unauthorized_with_canvas_message()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens("token-1", "token-2");
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("11", h.Lms.Url).Response);

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.Unauthorized, e.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, e.Status);
        Assert.Equal("Access Token not linked to a Tool associated with this Context", e.PlatformMessage);
        Assert.Equal("GET", e.Method);
        Assert.Equal(h.Absolute(LineItemPath(h)), e.Url);
        Assert.DoesNotContain("token-", e.Message, StringComparison.Ordinal);
        Assert.Equal(
            [(LtiStub.TokenPath, null), (LineItemPath(h), "Bearer token-1"), (LtiStub.TokenPath, null), (LineItemPath(h), "Bearer token-2")],
            h.Lms.Requests.Select(r => (r.Path, LtiStub.Header(r, "Authorization"))));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Token_expired_mid_run_is_replaced_and_the_call_retried_with_the_new_token()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens("token-1", "token-2");
        var show = ContractFile.Load("02c", h.Lms.Url);
        h.Lms.Stub("GET", LineItemPath(h), "token-1", ContractFile.Load("02c", h.Lms.Url).Variant("token_not_for_this_context"));
        h.Lms.Stub("GET", LineItemPath(h), "token-2", show.Response);

        var lineItem = await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));
        // The next call goes straight out with the new token.
        await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));

        Assert.Equal(h.Absolute(LineItemPath(h)), lineItem.Id);
        Assert.Equal(
            [(LtiStub.TokenPath, null), (LineItemPath(h), "Bearer token-1"), (LtiStub.TokenPath, null), (LineItemPath(h), "Bearer token-2"), (LineItemPath(h), "Bearer token-2")],
            h.Lms.Requests.Select(r => (r.Path, LtiStub.Header(r, "Authorization"))));
        Assert.Equal("token-2", Assert.Single(h.TokenCache.Tokens).AccessToken);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Not_found_array_shape_is_NotFound_with_canvas_message_and_not_retried()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var path = h.CoursePath("/line_items/55/results?user_id=7001");
        h.Lms.Stub("GET", path, ContractFile.Load("11", h.Lms.Url).Variant("404"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(async () =>
            await h.Ags.ListResultsAsync(h.Platform, h.Absolute(LineItemPath(h)), "7001").ToListAsync());

        Assert.Equal(LtiServiceErrorKind.NotFound, e.Kind);
        Assert.Equal(HttpStatusCode.NotFound, e.Status);
        Assert.Equal("The specified resource does not exist.", e.PlatformMessage);
        // The URL is reported without its query string.
        Assert.Equal(h.Absolute(h.CoursePath("/line_items/55/results")), e.Url);
        Assert.False(e.IsTransient);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Not_found_with_an_empty_body_is_NotFound_without_a_message()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("02c", h.Lms.Url).Variant("assignment_deleted").WithoutHeader("Content-Type"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.NotFound, e.Kind);
        Assert.Null(e.PlatformMessage);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_create_refused_with_canvas_error_string_is_Refused_with_that_message()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        // 02b invalid_submission_type: Canvas renders {error: message} for ActionController::BadRequest.
        h.Lms.Stub("POST", h.CoursePath("/line_items"), ContractFile.Load("02b", h.Lms.Url).Variant("invalid_submission_type"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() =>
            h.Ags.CreateLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items")), NewLineItem()));

        Assert.Equal(LtiServiceErrorKind.Refused, e.Kind);
        Assert.Equal(HttpStatusCode.BadRequest, e.Status);
        Assert.Single(h.Lms.ServiceRequests);
        Assert.Equal("Invalid submission_type for new assignment: online_upload", e.PlatformMessage);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_create_with_a_bad_resource_link_is_Refused_412_and_not_retried()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("POST", h.CoursePath("/line_items"), ContractFile.Load("02b", h.Lms.Url).Variant("bad_resource_link"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() =>
            h.Ags.CreateLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items")), NewLineItem() with { ResourceLinkId = "unknown" }));

        Assert.Equal(LtiServiceErrorKind.Refused, e.Kind);
        Assert.Equal(HttpStatusCode.PreconditionFailed, e.Status);
        Assert.Null(e.PlatformMessage);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Theory]
    [InlineData("score_maximum_missing", 422, "ScoreMaximum not supplied when ScoreGiven present.")]
    [InlineData("stale_timestamp", 400, "Provided timestamp of 2025-03-15T10:00:00.000+00:00 before last updated timestamp of 2025-03-15T10:22:31.482Z")]
    public async Task Score_refused_by_canvas_is_Refused_with_its_message_and_not_retried(string variant, int status, string message)
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var scores = ContractFile.Load("03", h.Lms.Url);
        h.Lms.Stub("POST", h.CoursePath("/line_items/55/scores"), scores.Variant(variant).WithHeader("Content-Type", "application/json; charset=utf-8"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.PostScoreAsync(h.Platform, h.Absolute(LineItemPath(h)), AgsTests.ContractScore(scores)));

        Assert.Equal(LtiServiceErrorKind.Refused, e.Kind);
        Assert.Equal((HttpStatusCode)status, e.Status);
        Assert.Equal(message, e.PlatformMessage);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Deleting_a_coupled_line_item_answered_401_is_tried_with_a_fresh_token_then_Refused_with_the_reason()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens("token-1", "token-2");
        h.Lms.Stub("DELETE", LineItemPath(h), ContractFile.Load("02e", h.Lms.Url).Variant("coupled_line_item"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.DeleteLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.Refused, e.Kind);
        Assert.Equal(HttpStatusCode.Unauthorized, e.Status);
        Assert.Equal(LtiServiceHttp.CoupledDeleteMessage, e.PlatformMessage);
        Assert.Contains("coupled line item", e.Message, StringComparison.Ordinal);
        Assert.False(e.IsTransient);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], h.Lms.ServiceRequests.Select(r => LtiStub.Header(r, "Authorization")));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Deleting_a_line_item_answered_401_with_Canvas_error_object_twice_stays_Unauthorized()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens("token-1", "token-2");
        var unauthorized = ContractFile.Load("11", h.Lms.Url).Response;
        h.Lms.Stub("DELETE", LineItemPath(h), unauthorized, unauthorized);

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.DeleteLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.Unauthorized, e.Kind);
        Assert.Equal("Access Token not linked to a Tool associated with this Context", e.PlatformMessage);
        Assert.Equal(2, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Server_error_then_success_is_retried_and_succeeds()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("11", h.Lms.Url).Variant("500"), ContractFile.Load("02c", h.Lms.Url).Response);

        var lineItem = await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));

        Assert.Equal("Essay 1 (tool-graded)", lineItem.Label);
        Assert.Equal(2, h.Lms.ServiceRequests.Count);
        Assert.All(h.Lms.ServiceRequests, r => AgsTests.AssertRequest(r, "GET", LtiMediaTypes.LineItem));
        Assert.Single(h.Lms.TokenRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Persistent_server_error_is_Unavailable_after_the_configured_retries()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("11", h.Lms.Url).Variant("500"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.Unavailable, e.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, e.Status);
        Assert.Equal("An error occurred.", e.PlatformMessage);
        Assert.True(e.IsTransient);
        Assert.Equal(LtiHarness.RetryCount + 1, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task With_no_retries_configured_a_server_error_is_sent_once()
    {
        using var h = await LtiHarness.StartAsync(new Dictionary<string, string?> { ["Lti:ServiceRetryCount"] = "0" });
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("11", h.Lms.Url).Variant("500"));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.Unavailable, e.Kind);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Throttled_403_text_then_success_is_retried_and_succeeds()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var throttled = ContractFile.Load("10", h.Lms.Url).Response;
        Assert.Equal((403, "text/plain; charset=utf-8"), (throttled.Status, throttled.Headers["Content-Type"]));
        h.Lms.Stub("GET", LineItemPath(h), throttled, ContractFile.Load("02c", h.Lms.Url).Response);

        var lineItem = await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));

        Assert.Equal(100.0, lineItem.ScoreMaximum);
        Assert.Equal(2, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Throttled_429_then_success_is_retried_and_succeeds()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("10", h.Lms.Url).Variant("newer_doc_page"), ContractFile.Load("02c", h.Lms.Url).Response);

        var lineItem = await h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));

        Assert.Equal(100.0, lineItem.ScoreMaximum);
        Assert.Equal(2, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Persistent_throttling_is_Throttled_after_the_configured_retries()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("10", h.Lms.Url).Response);

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.Throttled, e.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
        Assert.Equal("403 Forbidden (Rate Limit Exceeded)", e.PlatformMessage);
        Assert.True(e.IsTransient);
        Assert.Equal(LtiHarness.RetryCount + 1, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Forbidden_json_that_is_not_throttling_is_Refused_and_sent_once()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        // Canvas's {errors:{type,message}} envelope (11) with a 403 that is not the rate limit.
        var forbidden = ContractFile.Load("11", h.Lms.Url).Response.WithStatus(403)
            .WithBody(new JsonObject { ["errors"] = new JsonObject { ["type"] = "forbidden", ["message"] = "Requested assignment not configured for external tool launches" } });
        h.Lms.Stub("GET", LineItemPath(h), forbidden, ContractFile.Load("02c", h.Lms.Url).Response);

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.Refused, e.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, e.Status);
        Assert.Equal("Requested assignment not configured for external tool launches", e.PlatformMessage);
        Assert.False(e.IsTransient);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_create_failing_with_500_is_not_repeated()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("POST", h.CoursePath("/line_items"), ContractFile.Load("11", h.Lms.Url).Variant("500"), ContractFile.Load("02b", h.Lms.Url).Response);

        var e = await Assert.ThrowsAsync<LtiServiceException>(() =>
            h.Ags.CreateLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items")), NewLineItem()));

        Assert.Equal(LtiServiceErrorKind.Unavailable, e.Kind);
        Assert.Equal(HttpStatusCode.InternalServerError, e.Status);
        Assert.Equal("POST", e.Method);
        AgsTests.AssertRequest(Assert.Single(h.Lms.ServiceRequests), "POST", LtiMediaTypes.LineItem, LtiMediaTypes.LineItem);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Line_item_create_throttled_is_repeated_because_canvas_did_not_process_it()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("POST", h.CoursePath("/line_items"), ContractFile.Load("10", h.Lms.Url).Response, ContractFile.Load("02b", h.Lms.Url).Response);

        var created = await h.Ags.CreateLineItemAsync(h.Platform, h.Absolute(h.CoursePath("/line_items")), NewLineItem());

        Assert.Equal(h.Absolute(h.CoursePath("/line_items/58")), created.Id);
        var posts = h.Lms.ServiceRequests;
        Assert.Equal(2, posts.Count);
        Assert.All(posts, r => AgsTests.AssertRequest(r, "POST", LtiMediaTypes.LineItem, LtiMediaTypes.LineItem));
        Assert.Equal(posts[0].Body, posts[1].Body);
        JsonAssert.Equivalent(new JsonObject { ["scoreMaximum"] = 10, ["label"] = "Essay 1 - peer review", ["tag"] = "review" }, JsonNode.Parse(posts[1].Body!));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Score_failing_with_500_is_repeated_because_a_score_is_idempotent()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var scores = ContractFile.Load("03", h.Lms.Url);
        h.Lms.Stub("POST", h.CoursePath("/line_items/55/scores"), ContractFile.Load("11", h.Lms.Url).Variant("500"), scores.Response);

        var receipt = await h.Ags.PostScoreAsync(h.Platform, h.Absolute(LineItemPath(h)), AgsTests.ContractScore(scores));

        Assert.Equal(h.Absolute(h.CoursePath("/line_items/55/results/9001")), receipt.ResultUrl);
        var posts = h.Lms.ServiceRequests;
        Assert.Equal(2, posts.Count);
        Assert.Equal(posts[0].Body, posts[1].Body);
        Assert.All(posts, r => AgsTests.AssertRequest(r, "POST", "application/json", LtiMediaTypes.Score));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Service_that_never_answers_within_the_attempt_timeout_is_Unavailable()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        await h.Tokens.GetTokenAsync(h.Platform, [LtiScopes.LineItemReadOnly], CancellationToken.None);
        // The 30 s attempt timeout of the resilience handler fires after a few ms; the stub answers after 1 s.
        h.Clock.ShortenLongTimers = true;
        h.Lms.Server.Given(WireMock.RequestBuilders.Request.Create().UsingGet().WithPath(LineItemPath(h)))
            .RespondWith(ContractFile.Load("02c", h.Lms.Url).Response.ToResponse().WithDelay(TimeSpan.FromSeconds(1)));

        var e = await Record.ExceptionAsync(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        var lti = Assert.IsType<LtiServiceException>(e);
        Assert.Equal(LtiServiceErrorKind.Unavailable, lti.Kind);
        Assert.Null(lti.Status);
        Assert.True(lti.IsTransient);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Theory]
    [InlineData("62.5", 3750)]
    [InlineData("1", 5000)] // (100 - 1) / 10 s, capped at Lti:ServiceMaxRatePause (5 s)
    public async Task Low_rate_limit_remaining_pauses_the_next_call_which_still_succeeds(string remaining, int expectedPauseMs)
    {
        using var h = await LtiHarness.StartAsync();
        var clock = new RecordingDelayClock(DateTimeOffset.UtcNow);
        var ags = h.AgsOn(clock);
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var show = ContractFile.Load("02c", h.Lms.Url).Response;
        h.Lms.Stub("GET", LineItemPath(h), show.WithHeader("X-Rate-Limit-Remaining", remaining), show);

        await ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));
        Assert.Empty(clock.Delays);
        var second = await ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));
        var third = await ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));

        Assert.Equal([TimeSpan.FromMilliseconds(expectedPauseMs)], clock.Delays);
        Assert.Equal("Essay 1 (tool-graded)", second.Label);
        Assert.Equal("Essay 1 (tool-graded)", third.Label);
        Assert.Equal(3, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Healthy_rate_limit_remaining_causes_no_pause()
    {
        using var h = await LtiHarness.StartAsync();
        var clock = new RecordingDelayClock(DateTimeOffset.UtcNow);
        var ags = h.AgsOn(clock);
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), ContractFile.Load("02c", h.Lms.Url).Response);

        await ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));
        await ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h)));

        Assert.Empty(clock.Delays);
        Assert.Equal(2, h.Lms.ServiceRequests.Count);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Next_link_back_to_a_page_already_read_is_an_invalid_response()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("02a", h.Lms.Url);
        var items = contract.Response.Body!.AsArray();
        var first = h.CoursePath("/line_items?limit=1");
        var second = first + "&page=2&per_page=1";
        h.Lms.Stub("GET", first, contract.Response.WithBody(new JsonArray(items[0]!.DeepClone())).WithHeader("Link", $"<{h.Absolute(second)}>; rel=\"next\""));
        h.Lms.Stub("GET", second, contract.Response.WithBody(new JsonArray(items[1]!.DeepClone())).WithHeader("Link", $"<{h.Absolute(first)}>; rel=\"next\""));

        var read = new List<LineItem>();
        var e = await Assert.ThrowsAsync<LtiServiceException>(async () =>
        {
            await foreach (var item in h.Ags.ListLineItemsAsync(h.Platform, h.Absolute(h.CoursePath("/line_items")), new LineItemQuery(Limit: 1)))
            {
                read.Add(item);
            }
        });

        Assert.Equal(LtiServiceErrorKind.InvalidResponse, e.Kind);
        Assert.Equal(2, read.Count);
        Assert.Equal([first, second], h.Lms.ServiceRequests.Select(r => r.Path + r.RawQuery));
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Next_link_to_the_same_page_is_an_invalid_response_after_one_request()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        var contract = ContractFile.Load("04a", h.Lms.Url);
        var path = h.CoursePath("/line_items/55/results");
        h.Lms.Stub("GET", path, contract.Response.WithHeader("Link", $"<{h.Absolute(path)}>; rel=\"next\""));

        var e = await Assert.ThrowsAsync<LtiServiceException>(async () => await h.Ags.ListResultsAsync(h.Platform, h.Absolute(LineItemPath(h))).ToListAsync());

        Assert.Equal(LtiServiceErrorKind.InvalidResponse, e.Kind);
        Assert.Single(h.Lms.ServiceRequests);
        h.Lms.AssertNoUnexpectedRequests();
    }

    [Fact]
    public async Task Html_answer_where_json_is_expected_is_an_invalid_response()
    {
        using var h = await LtiHarness.StartAsync();
        h.Lms.StubTokens(LtiHarness.ContractToken);
        h.Lms.Stub("GET", LineItemPath(h), new ContractResponse(200, new Dictionary<string, string> { ["Content-Type"] = "text/html; charset=utf-8" }, JsonValue.Create("<html>Log in</html>")));

        var e = await Assert.ThrowsAsync<LtiServiceException>(() => h.Ags.GetLineItemAsync(h.Platform, h.Absolute(LineItemPath(h))));

        Assert.Equal(LtiServiceErrorKind.InvalidResponse, e.Kind);
        h.Lms.AssertNoUnexpectedRequests();
    }

    private static string LineItemPath(LtiHarness h) => h.CoursePath("/line_items/55");

    private static LineItem NewLineItem() => new() { ScoreMaximum = 10, Label = "Essay 1 - peer review", Tag = "review" };
}
