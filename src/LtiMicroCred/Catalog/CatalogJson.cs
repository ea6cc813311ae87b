using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LtiMicroCred.Catalog;

/// <summary>Reads and writes the catalog file: camelCase names, enums as camelCase strings, indented.</summary>
public static class CatalogJson
{
    /// <summary>The largest file accepted: a large district's catalog is a few hundred kilobytes.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static byte[] Write(CatalogDocument document) => JsonSerializer.SerializeToUtf8Bytes(document, Options);

    /// <summary>Reads a catalog file, or throws <see cref="InvalidInputException"/> naming where it is not readable.</summary>
    public static async Task<CatalogDocument> ReadAsync(Stream json, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await json.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw CatalogProblems.ToException([new CatalogProblem("$", "The file is larger than 2 MB. Split the catalog into several files.")]);
            }

            buffer.Write(chunk, 0, read);
        }

        return Read(buffer.ToArray());
    }

    public static CatalogDocument Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize<CatalogDocument>(json, Options)
                ?? throw CatalogProblems.ToException([new CatalogProblem("$", "The file holds no catalog (it is \"null\").")]);
        }
        catch (JsonException e)
        {
            throw CatalogProblems.ToException([new CatalogProblem(e.Path ?? "$", Explain(e))]);
        }
    }

    private static string Explain(JsonException e)
    {
        var line = e.LineNumber is { } number ? $"Line {(number + 1).ToString(CultureInfo.InvariantCulture)}: " : string.Empty;
        // The serializer's messages name .NET types, which mean nothing to the administrator reading them.
        if (e.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return line + "unknown property; docs/catalog-format.md lists the allowed ones.";
        }

        if (e.Message.Contains("could not be converted", StringComparison.Ordinal) || e.Message.Contains("null", StringComparison.OrdinalIgnoreCase))
        {
            return line + "the value has the wrong type or is not one of the allowed values.";
        }

        var cut = e.Message.IndexOf(" Path:", StringComparison.Ordinal);
        return line + "not valid JSON: " + (cut > 0 ? e.Message[..cut] : e.Message);
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // A misspelt property would otherwise be dropped without a word, and the import would quietly lose it.
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectNullableAnnotations = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

public static class CatalogProblems
{
    /// <summary>Every problem as one refusal, keyed by path in document order (problems at one path are joined).</summary>
    public static InvalidInputException ToException(IEnumerable<CatalogProblem> problems)
    {
        // Only added to, never removed from: a Dictionary then enumerates in insertion order, which is document order.
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var problem in problems)
        {
            errors[problem.Path] = errors.TryGetValue(problem.Path, out var earlier) ? earlier + " " + problem.Reason : problem.Reason;
        }

        return new InvalidInputException(errors);
    }
}
