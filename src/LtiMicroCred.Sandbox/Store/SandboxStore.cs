namespace LtiMicroCred.Sandbox.Store;

/// <summary>
/// Everything the sandbox LMS remembers, in memory: resource links, line items and results, assignments, submissions,
/// files and gradebook columns. One lock guards it all; the sandbox serves a handful of people, so simplicity wins
/// over concurrency. Records are immutable, so what a caller gets back can never change under it.
/// </summary>
internal sealed class SandboxStore
{
    private readonly Lock gate = new();
    private readonly List<SandboxResourceLink> resourceLinks = [];
    private readonly Dictionary<long, SandboxLineItem> lineItems = [];
    private readonly Dictionary<(long LineItemId, string UserId), SandboxResult> results = [];
    private readonly Dictionary<long, SandboxAssignment> assignments = [];
    private readonly Dictionary<(long AssignmentId, long UserId), SandboxSubmission> submissions = [];
    private readonly Dictionary<long, SandboxFile> files = [];
    private readonly Dictionary<long, SandboxCustomColumn> columns = [];
    private readonly Dictionary<(long ColumnId, long UserId), SandboxColumnDatum> columnData = [];

    // Separate ranges make a mixed-up id (a file id used as a line item id) fail loudly instead of finding something.
    private long nextLineItemId = 500;
    private long nextResultId = 9000;
    private long nextCommentId = 61000;
    private long nextFileId = 240000;
    private long nextColumnId = 400;
    private long nextSubmissionId = 310000;

    public SandboxStore(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        SandboxSeed.Populate(this, timeProvider.GetUtcNow());
    }

    // Resource links

    public SandboxResourceLink AddResourceLink(SandboxResourceLink link)
    {
        lock (gate)
        {
            resourceLinks.Add(link);
            return link;
        }
    }

    public IReadOnlyList<SandboxResourceLink> ResourceLinks(string courseId)
    {
        lock (gate)
        {
            return resourceLinks.Where(l => l.CourseId == courseId).ToList();
        }
    }

    public SandboxResourceLink? FindResourceLink(string id)
    {
        lock (gate)
        {
            return resourceLinks.FirstOrDefault(l => l.Id == id);
        }
    }

    /// <summary>Adds deep-linked resource links and their line items at once, so a half-applied response is never seen.</summary>
    public void AddDeepLinkedContent(IReadOnlyList<(SandboxResourceLink Link, SandboxLineItem? LineItem)> items)
    {
        lock (gate)
        {
            foreach (var (link, lineItem) in items)
            {
                resourceLinks.Add(link);
                if (lineItem is not null)
                {
                    var id = ++nextLineItemId;
                    lineItems[id] = lineItem with { Id = id };
                }
            }
        }
    }

    // Line items and results

    /// <summary>Stores a new line item; its <see cref="SandboxLineItem.Id"/> is assigned here.</summary>
    public SandboxLineItem AddLineItem(SandboxLineItem lineItem)
    {
        lock (gate)
        {
            var stored = lineItem with { Id = ++nextLineItemId };
            lineItems[stored.Id] = stored;
            return stored;
        }
    }

    public IReadOnlyList<SandboxLineItem> LineItems(string courseId)
    {
        lock (gate)
        {
            return lineItems.Values.Where(li => li.CourseId == courseId).OrderBy(li => li.Id).ToList();
        }
    }

    public SandboxLineItem? FindLineItem(string courseId, long id)
    {
        lock (gate)
        {
            return lineItems.TryGetValue(id, out var li) && li.CourseId == courseId ? li : null;
        }
    }

    public SandboxLineItem? UpdateLineItem(string courseId, long id, Func<SandboxLineItem, SandboxLineItem> change)
    {
        lock (gate)
        {
            if (!lineItems.TryGetValue(id, out var li) || li.CourseId != courseId)
            {
                return null;
            }

            var updated = change(li) with { Id = li.Id, CourseId = li.CourseId };
            lineItems[id] = updated;
            return updated;
        }
    }

    /// <summary>Removes an uncoupled line item and its results.</summary>
    /// <returns>Null when there is no such line item, false when it is coupled, true when removed.</returns>
    public bool? DeleteLineItem(string courseId, long id)
    {
        lock (gate)
        {
            if (!lineItems.TryGetValue(id, out var li) || li.CourseId != courseId)
            {
                return null;
            }

            if (li.Coupled)
            {
                return false;
            }

            lineItems.Remove(id);
            foreach (var key in results.Keys.Where(k => k.LineItemId == id).ToList())
            {
                results.Remove(key);
            }

            return true;
        }
    }

    /// <summary>
    /// Stores a score as the user's result unless a newer one is already stored: checked and written under one lock,
    /// so two racing posts cannot both win.
    /// </summary>
    public SandboxScoreOutcome PostScore(SandboxResult incoming)
    {
        lock (gate)
        {
            var key = (incoming.LineItemId, incoming.UserId);
            if (results.TryGetValue(key, out var existing))
            {
                if (incoming.Timestamp < existing.Timestamp)
                {
                    return new SandboxScoreOutcome(null, existing.Timestamp);
                }

                incoming = incoming with { Id = existing.Id };
            }
            else
            {
                incoming = incoming with { Id = ++nextResultId };
            }

            results[key] = incoming;
            return new SandboxScoreOutcome(incoming, null);
        }
    }

    public IReadOnlyList<SandboxResult> Results(long lineItemId)
    {
        lock (gate)
        {
            return results.Values.Where(r => r.LineItemId == lineItemId).OrderBy(r => r.Id).ToList();
        }
    }

    // Assignments, submissions, files

    public void AddAssignment(SandboxAssignment assignment)
    {
        lock (gate)
        {
            assignments[assignment.Id] = assignment;
        }
    }

    public IReadOnlyList<SandboxAssignment> Assignments(string courseId)
    {
        lock (gate)
        {
            return assignments.Values.Where(a => a.CourseId == courseId).OrderBy(a => a.Position).ThenBy(a => a.Id).ToList();
        }
    }

    public SandboxAssignment? FindAssignment(string courseId, long id)
    {
        lock (gate)
        {
            return assignments.TryGetValue(id, out var a) && a.CourseId == courseId ? a : null;
        }
    }

    /// <summary>Makes the (unsubmitted) submission of a student, as Canvas does when a student joins a course.</summary>
    public SandboxSubmission EnsureSubmission(long assignmentId, long userId)
    {
        lock (gate)
        {
            return EnsureSubmissionLocked(assignmentId, userId);
        }
    }

    public SandboxSubmission? FindSubmission(long assignmentId, long userId)
    {
        lock (gate)
        {
            return submissions.GetValueOrDefault((assignmentId, userId));
        }
    }

    public IReadOnlyList<SandboxSubmission> Submissions(long assignmentId)
    {
        lock (gate)
        {
            return submissions.Values.Where(s => s.AssignmentId == assignmentId).OrderBy(s => s.UserId).ToList();
        }
    }

    public SandboxSubmission Submit(long assignmentId, long userId, SandboxAttempt attempt)
    {
        lock (gate)
        {
            var current = EnsureSubmissionLocked(assignmentId, userId);
            var updated = current with { Attempts = [.. current.Attempts, attempt with { Number = current.Attempts.Count + 1 }] };
            submissions[(assignmentId, userId)] = updated;
            return updated;
        }
    }

    public SandboxSubmission Grade(long assignmentId, long userId, SandboxGrade grade)
    {
        lock (gate)
        {
            var updated = EnsureSubmissionLocked(assignmentId, userId) with { Grade = grade };
            submissions[(assignmentId, userId)] = updated;
            return updated;
        }
    }

    /// <summary>Adds a comment; its id is assigned here.</summary>
    public SandboxSubmission AddComment(long assignmentId, long userId, SandboxComment comment)
    {
        lock (gate)
        {
            var current = EnsureSubmissionLocked(assignmentId, userId);
            var updated = current with { Comments = [.. current.Comments, comment with { Id = ++nextCommentId }] };
            submissions[(assignmentId, userId)] = updated;
            return updated;
        }
    }

    /// <summary>Stores a file; its id is assigned here.</summary>
    public SandboxFile AddFile(SandboxFile file)
    {
        lock (gate)
        {
            var stored = file with { Id = ++nextFileId };
            files[stored.Id] = stored;
            return stored;
        }
    }

    public SandboxFile? FindFile(long id)
    {
        lock (gate)
        {
            return files.GetValueOrDefault(id);
        }
    }

    /// <summary>The submission a file was handed in with, to decide who may read it.</summary>
    public SandboxSubmission? SubmissionHolding(long fileId)
    {
        lock (gate)
        {
            return submissions.Values.FirstOrDefault(s => s.Attempts.Any(a => a.FileIds.Contains(fileId)));
        }
    }

    // Custom gradebook columns

    /// <summary>Stores a column; its id is assigned here, and a position of 0 puts it last.</summary>
    public SandboxCustomColumn AddColumn(SandboxCustomColumn column)
    {
        lock (gate)
        {
            var position = column.Position > 0
                ? column.Position
                : columns.Values.Where(c => c.CourseId == column.CourseId).Select(c => c.Position).DefaultIfEmpty(0).Max() + 1;
            var stored = column with { Id = ++nextColumnId, Position = position };
            columns[stored.Id] = stored;
            return stored;
        }
    }

    public IReadOnlyList<SandboxCustomColumn> Columns(string courseId)
    {
        lock (gate)
        {
            return columns.Values.Where(c => c.CourseId == courseId).OrderBy(c => c.Position).ThenBy(c => c.Id).ToList();
        }
    }

    public SandboxCustomColumn? UpdateColumn(string courseId, long id, Func<SandboxCustomColumn, SandboxCustomColumn> change)
    {
        lock (gate)
        {
            if (!columns.TryGetValue(id, out var column) || column.CourseId != courseId)
            {
                return null;
            }

            var updated = change(column) with { Id = column.Id, CourseId = column.CourseId };
            columns[id] = updated;
            return updated;
        }
    }

    /// <summary>Sets a cell of a custom column; blank content removes it, as in Canvas.</summary>
    public SandboxColumnDatum SetColumnDatum(long columnId, long userId, string content)
    {
        lock (gate)
        {
            var datum = new SandboxColumnDatum(columnId, userId, content);
            if (string.IsNullOrWhiteSpace(content))
            {
                columnData.Remove((columnId, userId));
            }
            else
            {
                columnData[(columnId, userId)] = datum;
            }

            return datum;
        }
    }

    public IReadOnlyList<SandboxColumnDatum> ColumnData(long columnId)
    {
        lock (gate)
        {
            return columnData.Values.Where(d => d.ColumnId == columnId).OrderBy(d => d.UserId).ToList();
        }
    }

    private SandboxSubmission EnsureSubmissionLocked(long assignmentId, long userId)
    {
        if (!submissions.TryGetValue((assignmentId, userId), out var submission))
        {
            submission = new SandboxSubmission(++nextSubmissionId, assignmentId, userId, [], [], null);
            submissions[(assignmentId, userId)] = submission;
        }

        return submission;
    }
}
