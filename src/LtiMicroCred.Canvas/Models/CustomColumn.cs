using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Canvas.Models;

/// <summary>A custom gradebook column (the tool shows review status there, next to the grades).</summary>
public sealed record CustomColumn
{
    public long Id { get; init; }

    public string? Title { get; init; }

    public int? Position { get; init; }

    public bool? Hidden { get; init; }

    /// <summary>The course's single "Notes" column; only one column may have this.</summary>
    public bool? TeacherNotes { get; init; }

    /// <summary>Teachers cannot edit the column's cells in the gradebook; the tool still can through the API.</summary>
    public bool? ReadOnly { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}

/// <summary>One cell of a custom gradebook column.</summary>
public sealed record ColumnDatum
{
    public string? Content { get; init; }

    public long UserId { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? AdditionalFields { get; set; }
}
