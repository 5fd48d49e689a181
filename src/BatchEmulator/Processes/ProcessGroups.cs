using System.Globalization;

namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>Which process groups still have live (non-zombie) members.</summary>
internal static class ProcessGroups
{
    /// <summary>
    /// The ids of process groups with at least one live member. On Linux from /proc, ignoring zombies (an orphan
    /// can stay a zombie until init reaps it); elsewhere by probing each candidate group with signal 0.
    /// </summary>
    public static HashSet<int> AliveAmong(IEnumerable<int> processGroupIds)
    {
        var candidates = processGroupIds.ToHashSet();
        var alive = new HashSet<int>();
        if (candidates.Count == 0)
        {
            return alive;
        }

        if (!Directory.Exists("/proc/self"))
        {
            alive.UnionWith(candidates.Where(g => PosixSignals.SendToGroup(g, 0)));
            return alive;
        }

        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            if (TryReadStat(entry, out var state, out var group) && state != 'Z' && state != 'X' && candidates.Contains(group))
            {
                alive.Add(group);
            }
        }

        return alive;
    }

    private static bool TryReadStat(string procDirectory, out char state, out int processGroupId)
    {
        state = '?';
        processGroupId = 0;
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
        }
        catch (IOException)
        {
            return false; // the process ended while we looked
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses, so parse after the last ')'.
        var close = stat.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            return false;
        }

        state = fields[0][0];
        return int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out processGroupId);
    }
}
