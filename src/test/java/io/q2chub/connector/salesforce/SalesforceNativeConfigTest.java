package io.q2chub.connector.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import io.q2chub.testing.ReflectionClosure;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

class SalesforceNativeConfigTest {

    private static final Path CONNECTOR = Path.of("src/main/java/io/q2chub/connector/salesforce");
    private static final Pattern DTO_NAMED = Pattern.compile(
            "org\\.apache\\.camel\\.component\\.salesforce\\.(?:api|internal)\\.dto(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*");
    private static final Pattern CALL = Pattern.compile("salesforce:(\\w+)");

    private static Set<String> registered() {
        return Set.of(SalesforceNativeConfig.class.getAnnotation(RegisterForReflection.class).classNames());
    }

    @Test
    void everyCamelSalesforceDtoTheConnectorReachesIsRegistered() throws Exception {
        Set<String> roots = new TreeSet<>(SalesforceNativeConfig.DTO_ROOTS);
        roots.addAll(ReflectionClosure.namedIn(CONNECTOR, DTO_NAMED));

        Set<String> reached = ReflectionClosure.topLevelReachedFrom(roots, SalesforceNativeConfigTest::isDto);
        assertThat(reached).as("DTO classes reached").contains("org.apache.camel.component.salesforce.api.dto.AbstractDTOBase");
        assertThat(registered()).containsAll(reached);
    }

    /**
     * Every Salesforce operation the connector and the routes call is one the registration covers, with the option
     * that keeps camel-salesforce from binding a DTO not registered (an SObject class, a result class, an Avro POJO).
     */
    @Test
    void everySalesforceCallTheHubMakesBindsNoUnregisteredDto() throws IOException {
        List<Path> sources = new java.util.ArrayList<>();
        try (Stream<Path> java = Files.list(CONNECTOR); Stream<Path> routes = Files.list(Path.of("routes"))) {
            sources.addAll(java.filter(p -> p.toString().endsWith(".java")).toList());
            sources.addAll(routes.filter(p -> p.toString().endsWith(".camel.yaml")).toList());
        }
        Set<String> called = new TreeSet<>();
        for (Path source : sources) {
            String text = Files.readString(source);
            Matcher m = CALL.matcher(text);
            while (m.find()) {
                String operation = m.group(1);
                called.add(operation);
                assertThat(SalesforceNativeConfig.OPERATIONS).as("operation %s in %s", operation, source)
                        .containsKey(operation);
                String options = source.toString().endsWith(".java")
                        ? text.substring(m.start(), text.indexOf('"', m.start()))
                        : text.substring(m.start(), text.indexOf("steps:", m.start()));
                assertThat(options).as("options of %s in %s", operation, source)
                        .contains(SalesforceNativeConfig.OPERATIONS.get(operation));
            }
        }
        assertThat(called).containsExactlyInAnyOrderElementsOf(SalesforceNativeConfig.OPERATIONS.keySet());
    }

    /**
     * Quarkus initialises classes at build time. A static initialiser in camel-salesforce's libraries that makes a
     * thread, an executor, a Cleaner or a random generator would put it into the image heap (native-image refuses,
     * or every pod shares one seed): each such class is initialised at run time by the build argument.
     */
    @Test
    void classesWhoseStaticInitialiserMakesThreadsOrRandomsInitialiseAtRunTime() throws Exception {
        Set<String> found = new TreeSet<>();
        for (Path jar : salesforceLibraries()) {
            found.addAll(runTimeOnly(jar));
        }
        assertThat(found).as("found in the libraries").contains("org.eclipse.jetty.util.VirtualThreads",
                "org.apache.avro.file.DataFileWriter");
        assertThat(SalesforceNativeConfig.RUN_TIME_INITIALIZED).containsExactlyInAnyOrderElementsOf(found);

        String args = applicationProperties().getProperty("quarkus.native.additional-build-args");
        String prefix = "--initialize-at-run-time=";
        assertThat(args).startsWith(prefix);
        // one argument: the list property's commas are escaped
        assertThat(List.of(args.substring(prefix.length()).split("\\\\,")))
                .containsExactlyInAnyOrderElementsOf(SalesforceNativeConfig.RUN_TIME_INITIALIZED);
    }

    @Test
    void serviceFilesJettyLoadsAreKeptAndTheirImplementationsRegistered() throws IOException {
        Set<String> includes = Set.of(applicationProperties().getProperty("quarkus.native.resources.includes").split(","));
        for (String file : SalesforceNativeConfig.SERVICE_FILES) {
            assertThat(includes).contains(file);
            List<URL> copies = Collections.list(getClass().getClassLoader().getResources(file));
            assertThat(copies).as(file).isNotEmpty();
            for (URL copy : copies) {
                try (InputStream in = copy.openStream()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    for (String line : text.split("\n")) {
                        String implementation = line.replaceAll("#.*", "").trim();
                        if (!implementation.isEmpty()) {
                            assertThat(registered()).as("%s from %s", implementation, copy).contains(implementation);
                        }
                    }
                }
            }
        }
    }

    private static boolean isDto(Class<?> type) {
        return type.getName().startsWith("org.apache.camel.component.salesforce.api.dto.")
                || type.getName().startsWith("org.apache.camel.component.salesforce.internal.dto.");
    }

    /** The jars camel-salesforce runs on for the calls the hub makes: the component, Jetty's client, Avro. */
    private static Set<Path> salesforceLibraries() throws Exception {
        Set<Path> jars = new TreeSet<>();
        for (String member : List.of("org.apache.camel.component.salesforce.SalesforceComponent",
                "org.eclipse.jetty.client.HttpClient", "org.eclipse.jetty.alpn.client.ALPNClientConnectionFactory",
                "org.eclipse.jetty.http.HttpField", "org.eclipse.jetty.io.ByteBufferPool", "org.eclipse.jetty.util.VirtualThreads",
                "org.eclipse.jetty.util.ajax.JSON", "org.eclipse.jetty.compression.Compression",
                "org.eclipse.jetty.compression.gzip.GzipCompression", "org.apache.avro.Schema",
                "tech.allegro.schema.json2avro.converter.AvroJsonConverter")) {
            Class<?> type = Class.forName(member, false, SalesforceNativeConfigTest.class.getClassLoader());
            jars.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
        }
        return jars;
    }

    private static final Set<String> MADE_AT_RUN_TIME_ONLY = Set.of("java/util/Random", "java/security/SecureRandom",
            "java/lang/Thread", "java/util/Timer", "java/util/concurrent/Executor", "java/util/concurrent/ExecutorService",
            "java/util/concurrent/ScheduledExecutorService", "java/util/concurrent/ThreadPoolExecutor",
            "java/util/concurrent/ScheduledThreadPoolExecutor", "java/lang/ref/Cleaner");

    /**
     * Classes whose static initialiser creates one of {@link #MADE_AT_RUN_TIME_ONLY} (new, or a static factory such as
     * Executors or Cleaner.create) or stores into a static field of one of those types.
     */
    private static Set<String> runTimeOnly(Path jar) throws IOException {
        Set<String> found = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                if (!entry.getName().endsWith(".class") || entry.getName().contains("module-info")
                        || entry.getName().startsWith("META-INF/")) {
                    continue;
                }
                ClassNode type = new ClassNode();
                try (InputStream in = file.getInputStream(entry)) {
                    new ClassReader(in).accept(type, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
                }
                if (makesAtClassInitialisation(type)) {
                    found.add(type.name.replace('/', '.'));
                }
            }
        }
        return found;
    }

    private static boolean makesAtClassInitialisation(ClassNode type) {
        MethodNode clinit = type.methods.stream().filter(m -> m.name.equals("<clinit>")).findFirst().orElse(null);
        if (clinit == null) {
            return false;
        }
        for (AbstractInsnNode insn : clinit.instructions) {
            if (insn instanceof TypeInsnNode t && t.getOpcode() == Opcodes.NEW && MADE_AT_RUN_TIME_ONLY.contains(t.desc)) {
                return true;
            }
            if (insn instanceof MethodInsnNode m && m.getOpcode() == Opcodes.INVOKESTATIC
                    && (m.owner.equals("java/util/concurrent/Executors") || m.owner.equals("java/lang/ref/Cleaner"))) {
                return true;
            }
            if (insn instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTSTATIC && f.owner.equals(type.name)
                    && f.desc.startsWith("L") && MADE_AT_RUN_TIME_ONLY.contains(f.desc.substring(1, f.desc.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }
}
