using LtiMicroCred.Lti.Http;

namespace LtiMicroCred.LtiServiceTests;

/// <summary>RFC 8288 Link parsing (LinkHeader, shared with the Canvas client): only rel="next" is followed, its URL taken as written.</summary>
public sealed class LinkHeadersTests
{
    [Theory]
    [InlineData(
        "<https://canvas.example.edu/api/lti/courses/4321/line_items?limit=3&page=1&per_page=3>; rel=\"current\",<https://canvas.example.edu/api/lti/courses/4321/line_items?limit=3&page=2&per_page=3>; rel=\"next\",<https://canvas.example.edu/api/lti/courses/4321/line_items?limit=3&page=1&per_page=3>; rel=\"first\",<https://canvas.example.edu/api/lti/courses/4321/line_items?limit=3&page=4&per_page=3>; rel=\"last\"",
        "https://canvas.example.edu/api/lti/courses/4321/line_items?limit=3&page=2&per_page=3")]
    [InlineData("<https://lms/x?a=1,2&page=2>; rel=\"next\"", "https://lms/x?a=1,2&page=2")]
    [InlineData("<https://lms/x?page=2>; rel=next", "https://lms/x?page=2")]
    [InlineData("<https://lms/x?page=2>;rel=\"prev next\"", "https://lms/x?page=2")]
    [InlineData("<https://lms/x?page=2> ; REL=\"Next\"", "https://lms/x?page=2")]
    [InlineData("<https://lms/x?page=1>; rel=\"prev\", <https://lms/x?page=3>; rel=\"next\"", "https://lms/x?page=3")]
    [InlineData("<https://lms/x?page=1>; rel=\"current\",<https://lms/x?page=1>; rel=\"last\"", null)]
    [InlineData("<https://lms/x?page=2>; title=\"next\"", null)]
    [InlineData("https://lms/x?page=2; rel=\"next\"", null)]
    [InlineData("", null)]
    public void Next_is_read_from_a_link_header(string header, string? next) =>
        Assert.Equal(next, Next([header]));

    [Fact]
    public void Next_is_found_in_any_of_several_link_headers() =>
        Assert.Equal("https://lms/x?page=2", Next(["<https://lms/x?page=1>; rel=\"first\"", "<https://lms/x?page=2>; rel=\"next\""]));

    [Fact]
    public void No_link_header_means_no_next_page() => Assert.Null(Next([]));

    private static string? Next(IEnumerable<string> headers) => LinkHeader.Parse(headers).Next?.OriginalString;
}
