using System.Text.Json;
using System.Text.Json.Nodes;
using LtiMicroCred.Canvas.Models;
using LtiMicroCred.CanvasTests.Infrastructure;

namespace LtiMicroCred.CanvasTests;

/// <summary>
/// Every Canvas body in the contract survives a read and a write through the models unchanged in meaning: typed fields
/// keep their values and whatever the models do not type is carried along, explicit nulls included.
/// </summary>
public sealed class GoldenJsonTests
{
    public static TheoryData<string, Type> Bodies => new()
    {
        { "06a_rest_assignments_list", typeof(List<Assignment>) },
        { "06b_rest_submissions_list", typeof(List<Submission>) },
        { "07a_rest_submission_show", typeof(Submission) },
        { "07b_rest_file_show", typeof(CanvasFile) },
        { "07c_rest_custom_gradebook_columns_list", typeof(List<CustomColumn>) },
        { "07d_rest_custom_gradebook_columns_create", typeof(CustomColumn) },
        { "07e_rest_custom_gradebook_columns_update", typeof(CustomColumn) },
        { "07f_rest_custom_gradebook_column_data_update", typeof(ColumnDatum) },
        { "08_rest_submission_comment_put", typeof(Submission) },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public void ContractBody_RoundTripsThroughTheModel(string contractName, Type model)
    {
        var golden = ContractFile.Load(contractName).ResponseBody.GetRawText();

        var read = JsonSerializer.Deserialize(golden, model, CanvasJson.Options);
        var written = JsonSerializer.Serialize(read, model, CanvasJson.Options);

        JsonAssert.Equivalent(JsonNode.Parse(golden), JsonNode.Parse(written));
    }

    // A misspelt property would still round-trip, through AdditionalFields; these models type every contract field,
    // so anything left over there is a name that does not match Canvas's.
    [Fact]
    public void FullyTypedModels_LeaveNothingInAdditionalFields()
    {
        var submission = Read<Submission>("07a_rest_submission_show");
        var file = Read<CanvasFile>("07b_rest_file_show");
        var columns = Read<List<CustomColumn>>("07c_rest_custom_gradebook_columns_list");
        var datum = Read<ColumnDatum>("07f_rest_custom_gradebook_column_data_update");
        var updated = Read<Submission>("08_rest_submission_comment_put");

        Assert.Null(submission.AdditionalFields);
        Assert.Null(submission.Attachments![0].AdditionalFields);
        Assert.Null(submission.SubmissionHistory![0].AdditionalFields);
        Assert.Null(submission.SubmissionComments![0].AdditionalFields);
        Assert.Null(submission.SubmissionComments[0].Author!.AdditionalFields);
        Assert.Null(submission.User!.AdditionalFields);
        Assert.Null(file.AdditionalFields);
        Assert.All(columns, c => Assert.Null(c.AdditionalFields));
        Assert.Null(datum.AdditionalFields);
        Assert.Null(updated.AdditionalFields);
        Assert.Null(updated.AllSubmissions![0].AdditionalFields);
    }

    [Fact]
    public void Assignment_TypedFieldsAreRead_TheRestKeptAside()
    {
        var assignment = Read<List<Assignment>>("06a_rest_assignments_list")[0];

        Assert.Equal(1201, assignment.AssignmentGroupId);
        Assert.Equal(4321, assignment.CourseId);
        Assert.Equal(-1, assignment.AllowedAttempts);
        Assert.Equal(3, assignment.NeedsGradingCount);
        Assert.Equal("points", assignment.GradingType);
        Assert.Equal(true, assignment.HasSubmittedSubmissions);
        Assert.Equal("published", assignment.WorkflowState);
        Assert.Equal(false, assignment.ExternalToolTagAttributes!.NewTab);
        Assert.Null(assignment.ExternalToolTagAttributes.AdditionalFields);
        Assert.Equal(JsonValueKind.True, assignment.AdditionalFields!["grader_comments_visible_to_graders"].ValueKind);
        Assert.DoesNotContain("points_possible", assignment.AdditionalFields.Keys);
    }

    private static T Read<T>(string contractName) =>
        JsonSerializer.Deserialize<T>(ContractFile.Load(contractName).ResponseBody.GetRawText(), CanvasJson.Options)!;

    [Fact]
    public void Timestamps_AreWrittenInUtcWithZ_AsCanvasSendsThem()
    {
        var column = new Submission { Id = 1, SubmittedAt = new DateTimeOffset(2025, 3, 14, 17, 5, 12, TimeSpan.FromHours(-4)) };

        var json = JsonSerializer.Serialize(column, CanvasJson.Options);

        Assert.Contains("\"submitted_at\":\"2025-03-14T21:05:12Z\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void AuthorlessComment_WithEmptyAuthorObject_IsRead()
    {
        var comment = JsonSerializer.Deserialize<SubmissionComment>(
            """{"id":61005,"author_id":null,"author_name":null,"author":{},"comment":"Score posted by the tool.","created_at":"2025-03-15T10:30:02Z","edited_at":null,"media_comment":null}""",
            CanvasJson.Options)!;

        Assert.Null(comment.AuthorId);
        Assert.NotNull(comment.Author);
        Assert.Null(comment.Author.Id);
        Assert.Equal("Score posted by the tool.", comment.Comment);
    }
}
