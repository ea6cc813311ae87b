using LtiMicroCred.Canvas.Http;

namespace LtiMicroCred.CanvasTests;

/// <summary>The shapes of Canvas error bodies, and what of them may surface in an exception.</summary>
public sealed class ErrorMessageTests
{
    [Theory]
    [InlineData("""{"errors":[{"message":"The specified resource does not exist."}]}""", "The specified resource does not exist.")]
    [InlineData("""{"errors":[{"message":"first"},{"message":"second"}]}""", "first; second")]
    [InlineData("""{"errors":{"type":"unauthorized","message":"Access token expired"}}""", "Access token expired")]
    [InlineData("""{"errors":{"title":[{"attribute":"title","type":"blank","message":"blank"}]}}""", "title: blank")]
    [InlineData("""{"message":"Invalid course id"}""", "Invalid course id")]
    [InlineData("""{"error":"invalid_grant","error_description":"refresh_token not found"}""", "invalid_grant: refresh_token not found")]
    [InlineData("""{"errors":["plain string error"]}""", "plain string error")]
    public void JsonShapes_YieldCanvasMessage(string body, string expected) =>
        Assert.Equal(expected, CanvasErrorMessage.Read(body, "application/json"));

    [Fact]
    public void ThrottleLine_IsKept() =>
        Assert.Equal("403 Forbidden (Rate Limit Exceeded)", CanvasErrorMessage.Read("403 Forbidden (Rate Limit Exceeded)\n", "text/plain"));

    [Theory]
    [InlineData("<html><body>Error for student Priya Raman</body></html>", "text/html")]
    [InlineData("""{"id":1,"name":"Priya Raman"}""", "application/json")]
    [InlineData("", "application/json")]
    [InlineData("{not json", "application/json")]
    public void BodiesWithoutAnErrorField_SurfaceNothing(string body, string contentType) =>
        Assert.Null(CanvasErrorMessage.Read(body, contentType));

    [Fact]
    public void LongMessages_AreClipped()
    {
        var message = CanvasErrorMessage.Read($$"""{"message":"{{new string('a', 2000)}}"}""", "application/json");

        Assert.Equal(503, message!.Length);
    }
}
