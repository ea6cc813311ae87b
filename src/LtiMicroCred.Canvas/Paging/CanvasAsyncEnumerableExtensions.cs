namespace LtiMicroCred.Canvas.Paging;

public static class CanvasAsyncEnumerableExtensions
{
    /// <summary>
    /// Reads a whole Canvas list into memory, for the small ones (a course's assignments or columns). Stream large
    /// lists such as submissions with <c>await foreach</c> instead, so only one page is held at a time.
    /// </summary>
    public static async Task<IReadOnlyList<T>> CollectAsync<T>(this IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var items = new List<T>();
        await foreach (var item in source.WithCancellation(cancellationToken))
        {
            items.Add(item);
        }

        return items;
    }
}
