using LtiMicroCred.Lti.Http;

namespace LtiMicroCred.UnitTests.Canvas;

public sealed class LinkHeaderTests
{
    // The shape Canvas sends (canvas-contract README, "Pagination").
    private const string CanvasLinks =
        "<https://canvas.example.edu/api/v1/courses/4321/assignments?page=1&per_page=100>; rel=\"current\"," +
        "<https://canvas.example.edu/api/v1/courses/4321/assignments?page=2&per_page=100>; rel=\"next\"," +
        "<https://canvas.example.edu/api/v1/courses/4321/assignments?page=1&per_page=100>; rel=\"first\"," +
        "<https://canvas.example.edu/api/v1/courses/4321/assignments?page=5&per_page=100>; rel=\"last\"";

    [Fact]
    public void Parse_CanvasHeader_FindsEveryRelation()
    {
        var links = LinkHeader.Parse([CanvasLinks]);
        Assert.Equal("https://canvas.example.edu/api/v1/courses/4321/assignments?page=2&per_page=100", links.Next!.ToString());
        Assert.Equal("https://canvas.example.edu/api/v1/courses/4321/assignments?page=5&per_page=100", links.Last!.ToString());
        Assert.NotNull(links.First);
        Assert.NotNull(links.Current);
        Assert.Null(links.Previous);
    }

    [Fact]
    public void Parse_LastPage_HasNoNext()
    {
        var links = LinkHeader.Parse(["<https://canvas.example.edu/api/lti/courses/4321/names_and_roles?page=3&per_page=10>; rel=\"current\""]);
        Assert.Null(links.Next);
    }

    [Fact]
    public void Parse_CommaInsideUrl_DoesNotSplitTheLink()
    {
        var links = LinkHeader.Parse(["<https://lms.example/api?ids=1,2,3&page=2>; rel=\"next\""]);
        Assert.Equal("https://lms.example/api?ids=1,2,3&page=2", links.Next!.ToString());
    }

    [Fact]
    public void Parse_SeveralHeaderValuesAndUnquotedRel_AreRead()
    {
        var links = LinkHeader.Parse(["<https://lms.example/a?page=2>; rel=next", "<https://lms.example/a?page=9>; rel=\"last\""]);
        Assert.Equal("https://lms.example/a?page=2", links.Next!.ToString());
        Assert.Equal("https://lms.example/a?page=9", links.Last!.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("<not a url>; rel=\"next\"")]
    [InlineData("<https://lms.example/a>; title=\"x\"")]
    public void Parse_Malformed_HasNoNext(string header) => Assert.Null(LinkHeader.Parse([header]).Next);
}
