using System.Text.Json.Nodes;

namespace Compendium.Reproduction;

/// <summary>One Jupyter output of a code cell, in nbformat 4 terms.</summary>
/// <param name="OutputType"><c>stream</c>, <c>display_data</c>, <c>execute_result</c> or <c>error</c>.</param>
/// <param name="Name">Stream name (<c>stdout</c>/<c>stderr</c>) for streams.</param>
/// <param name="Text">Stream text.</param>
/// <param name="Data">MIME type → value (text, or a JSON node for <c>*+json</c> types) for display_data/execute_result.</param>
/// <param name="Metadata">Output metadata; the compendium puts <c>{"compendium": {"kind", "id"}}</c> on saved tables and figures.</param>
/// <param name="ExecutionCount">For execute_result.</param>
/// <param name="ErrorName">Exception or error kind, for error outputs.</param>
/// <param name="ErrorValue">The error message (no stack trace), for error outputs.</param>
public sealed record NotebookOutput(
    string OutputType,
    string? Name = null,
    string? Text = null,
    IReadOnlyDictionary<string, object>? Data = null,
    JsonObject? Metadata = null,
    int? ExecutionCount = null,
    string? ErrorName = null,
    string? ErrorValue = null);

/// <summary>One cell of a notebook, as read and (for code) as executed.</summary>
/// <param name="Id">Cell id (nbformat 4.5); <c>cell-N</c> when the source has none.</param>
/// <param name="CellType"><c>code</c> or <c>markdown</c>.</param>
/// <param name="Source">The cell's text.</param>
/// <param name="Metadata">The cell's metadata as in the source file (kernel name, tags).</param>
/// <param name="ExecutionCount">Execution counter of a run code cell; null before execution and for markdown.</param>
/// <param name="Outputs">Outputs of the execution (empty before execution).</param>
public sealed record NotebookCell(
    string Id,
    string CellType,
    string Source,
    JsonObject Metadata,
    int? ExecutionCount,
    IReadOnlyList<NotebookOutput> Outputs)
{
    /// <summary>True for a code cell (<see cref="CellType"/> is <c>code</c>).</summary>
    public bool IsCode => CellType == "code";

    /// <summary>The cell's tags (metadata <c>tags</c>), e.g. <c>parameters</c>; empty if none.</summary>
    public IReadOnlyList<string> Tags =>
        Metadata["tags"] is JsonArray a ? a.Select(t => t?.GetValue<string>() ?? "").ToList() : [];
}
