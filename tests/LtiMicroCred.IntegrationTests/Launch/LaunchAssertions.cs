using System.Net;

namespace LtiMicroCred.IntegrationTests.Launch;

internal static class LaunchAssertions
{
    /// <summary>A refusal is a 4xx HTML page that names its reason in words and code, and shows no stack trace.</summary>
    public static async Task AssertRejectedAsync(HttpResponseMessage response, string reasonCode, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status} for {reasonCode}, got {(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/html", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        Assert.Contains($"<code>{reasonCode}</code>", body, StringComparison.Ordinal);
        Assert.Contains("The tool could not be opened", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at LtiMicroCred", body, StringComparison.Ordinal);
    }
}
