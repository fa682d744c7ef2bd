package dev.vtrecycler.agent.config;

import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Builds an {@link AgentConfig} from {@code -Dvtrecycler.<key>=<value>} system properties and the
 * agent argument {@code key=value,key=value}; the agent argument wins over a property.
 *
 * <p>Any unknown key, bad value or bad syntax is a {@link ConfigException} whose message names the
 * key and what is allowed. The agent then stays out of the way: a half-understood configuration is
 * never applied.
 */
public final class ConfigParser {

    public static final String PROPERTY_PREFIX = "vtrecycler.";

    public static AgentConfig parse(String agentArgs, Properties systemProperties) throws ConfigException {
        AgentConfig config = new AgentConfig();
        applyProperties(config, systemProperties);
        applyAgentArgs(config, agentArgs);
        return config;
    }

    private static void applyProperties(AgentConfig config, Properties properties) throws ConfigException {
        for (String name : properties.stringPropertyNames()) {
            if (!name.startsWith(PROPERTY_PREFIX)) {
                continue;
            }
            String key = name.substring(PROPERTY_PREFIX.length());
            if (key.indexOf('.') >= 0) {
                // Keys never contain a dot; vtrecycler.x.y properties belong to tools and tests
                // (e.g. vtrecycler.agent.jar). A dot-free vtrecycler.* name is a key, and a
                // misspelt one is an error like any unknown key.
                continue;
            }
            apply(config, key, properties.getProperty(name).trim(), "-D" + name);
        }
    }

    private static void applyAgentArgs(AgentConfig config, String args) throws ConfigException {
        if (args == null || args.isBlank()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : args.split(",", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("bad agent argument '" + pair + "': expected key=value pairs separated by ','"
                        + " (keys: " + Options.keys() + ")");
            }
            String key = pair.substring(0, eq).trim();
            if (!seen.add(key)) {
                throw new ConfigException("agent argument key '" + key + "' is given twice");
            }
            apply(config, key, pair.substring(eq + 1).trim(), "agent argument");
        }
    }

    private static void apply(AgentConfig config, String key, String raw, String origin) throws ConfigException {
        Options.Option<?> option = Options.BY_KEY.get(key);
        if (option == null) {
            throw new ConfigException("unknown key '" + key + "' in " + origin + "; known keys: " + Options.keys());
        }
        try {
            option.apply(config, raw);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new ConfigException("bad value '" + raw + "' for key '" + key + "' in " + origin
                    + "; allowed: " + option.allowed());
        }
    }

    /** The keys and what each allows, for --help and the README. */
    public static Map<String, String> reference() {
        Map<String, String> ref = new java.util.LinkedHashMap<>();
        for (Options.Option<?> option : Options.ALL) {
            ref.put(option.key(), option.allowed());
        }
        return ref;
    }

    private ConfigParser() {}
}
