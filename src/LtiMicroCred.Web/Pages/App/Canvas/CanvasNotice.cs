namespace LtiMicroCred.Web.Pages.App.Canvas;

/// <summary>A plain-words outcome of the connect flow: a heading, what happened, and what to do next.</summary>
public sealed record CanvasNotice(string Title, string Text, string? NextStep = null);
