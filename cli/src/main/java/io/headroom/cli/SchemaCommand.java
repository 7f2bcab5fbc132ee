package io.headroom.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the JSON Schema of a config file, for editors (the same files as {@code docs/schemas/}). */
@Command(
        name = "schema",
        description = {
            "Prints the JSON Schema of a config file: agent, controller or profile.",
            "Example: ./headroom schema agent > agent.schema.json"
        })
final class SchemaCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", description = "agent, controller or profile.")
    String file;

    @Override
    public Integer call() throws Exception {
        ConfigSchemas schema;
        try {
            schema = ConfigSchemas.valueOf(file.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            spec.commandLine()
                    .getErr()
                    .println("headroom schema: unknown file '" + file + "'; expected agent, controller or profile");
            return 2;
        }
        spec.commandLine().getOut().println(render(schema));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The schema as published: indented, one trailing newline added by the caller. */
    static String render(ConfigSchemas schema) throws Exception {
        return JSON.writeValueAsString(schema.schema());
    }
}
