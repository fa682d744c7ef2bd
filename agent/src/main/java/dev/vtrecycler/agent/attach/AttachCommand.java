package dev.vtrecycler.agent.attach;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.vtrecycler.agent.AgentStartup;
import dev.vtrecycler.agent.config.ConfigException;
import dev.vtrecycler.agent.config.ConfigParser;
import dev.vtrecycler.agent.metrics.JvmtiTransitions;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Properties;

/**
 * {@code java -jar vtrecycler-agent.jar attach <pid> [agent-args]} and {@code ... list}: the
 * standalone tool (its own JVM, never a host). Arguments are checked here first so a typo is
 * reported to the person typing, not only on the target's stderr.
 */
public final class AttachCommand {
    static final String USAGE = """
            usage: java -jar vtrecycler-agent.jar attach <pid> [key=value,...]
                   java -jar vtrecycler-agent.jar list""";

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status); // the tool's own JVM: a non-zero status is its answer
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 1 && args[0].equals("list")) {
            for (VirtualMachineDescriptor vm : VirtualMachine.list()) {
                out.println(vm.id() + " " + vm.displayName());
            }
            return 0;
        }
        if (args.length < 2 || args.length > 3 || !args[0].equals("attach") || !args[1].matches("\\d+")) {
            err.println(USAGE);
            err.println("keys:");
            ConfigParser.reference().forEach((key, allowed) -> err.println("  " + key + ": " + allowed));
            return 2;
        }
        String agentArgs = args.length == 3 ? args[2] : "";
        try {
            ConfigParser.parse(agentArgs, new Properties());
        } catch (ConfigException e) {
            err.println("[vtrecycler] " + e.getMessage());
            return 2;
        }
        return attach(args[1], agentArgs, out, err);
    }

    private static int attach(String pid, String agentArgs, PrintStream out, PrintStream err) {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException | IOException e) {
            err.println("[vtrecycler] cannot attach to " + pid + ": " + e.getMessage());
            return 1;
        }
        try {
            String active = vm.getSystemProperties().getProperty(AgentStartup.ACTIVE_PROPERTY);
            if (active != null) {
                out.println("[vtrecycler] already active in JVM " + pid + " (" + active + "); nothing changed");
                return 0;
            }
            vm.loadAgent(agentJar(), agentArgs);
            String now = vm.getSystemProperties().getProperty(AgentStartup.ACTIVE_PROPERTY);
            if (now == null) {
                err.println("[vtrecycler] loaded into JVM " + pid + " but it is not active: see that JVM's stderr");
                return 1;
            }
            out.println("[vtrecycler] attached to JVM " + pid + " (" + now + ")");
            out.println("[vtrecycler] " + transitionsNote(vm.getSystemProperties().getProperty(JvmtiTransitions.PROPERTY)));
            return 0;
        } catch (AgentLoadException | IOException | com.sun.tools.attach.AgentInitializationException e) {
            err.println("[vtrecycler] attaching to " + pid + " failed: " + e.getMessage());
            return 1;
        } finally {
            try {
                vm.detach();
            } catch (IOException ignored) {
                // the target went away; nothing to release
            }
        }
    }

    /** The JVMTI tax, which the attach itself switched on: said to the person attaching, not only in a label. */
    static String transitionsNote(String state) {
        return switch (state == null ? "unknown" : state) {
            case "on" -> "JVMTI virtual-thread transitions: on (from this attach on, every virtual-thread mount and"
                    + " unmount takes the JVMTI path, as with any agent; see the README's Caveats)";
            case "off" -> "JVMTI virtual-thread transitions: off (-XX:-DoJVMTIVirtualThreadTransitions: debuggers and"
                    + " JVMTI profilers do not see virtual threads)";
            default -> "JVMTI virtual-thread transitions: unknown on this JVM";
        };
    }

    private static String agentJar() throws IOException {
        try {
            return new File(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getAbsolutePath();
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot locate the agent jar", e);
        }
    }

    private AttachCommand() {}
}
