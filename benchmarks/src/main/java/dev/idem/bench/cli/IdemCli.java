package dev.idem.bench.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code idem} command: capacity planning ({@code bench}) and operator tasks
 * ({@code inspect}, {@code schema}, {@code purge}) on any Idem backend.
 */
@Command(name = "idem", mixinStandardHelpOptions = true, version = "idem 0.1.0-SNAPSHOT",
        description = "Measures and inspects Idem idempotency stores.",
        subcommands = {BenchCommand.class, InspectCommand.class, SchemaCommand.class, PurgeCommand.class,
                CommandLine.HelpCommand.class})
public final class IdemCli {

    /** Exit code of a run that failed, such as an unreachable server or an invalid option value. */
    static final int FAILED = 1;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command with {@code args} and returns its exit code, without exiting the JVM. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new IdemCli());
        commandLine.setExecutionExceptionHandler((exception, command, parseResult) -> {
            // Failures the user can fix get their message only; the stack trace adds nothing for them.
            command.getErr().println("idem " + command.getCommandName() + " failed: " + exception.getMessage());
            if (String.valueOf(exception.getMessage()).contains("createTableIfMissing()")) {
                command.getErr().println("  From the command line, create the table with:"
                        + " idem schema --apply --url URL --table NAME");
            }
            if (exception.getCause() != null && !(exception instanceof IllegalArgumentException)) {
                command.getErr().println("  caused by: " + exception.getCause());
            }
            return FAILED;
        });
        return commandLine.execute(args);
    }
}
