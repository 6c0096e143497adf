package io.tillstream.jobs.serve;

import io.tillstream.config.ConfigError;
import io.tillstream.config.ConfigKeys;
import io.tillstream.jobs.cli.JobSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Spark Connect client (module sql-client), loaded in a class loader of its own: it bundles another copy of
 * Spark's SQL API and of gRPC, which must not meet this process's Spark classes.
 */
public final class SqlClient {
  /** The environment variable holding the server's token; it never goes on a command line or into a log. */
  public static final String TOKEN_ENV = "TILLSTREAM_SQL_TOKEN";

  private static final String ENTRY = "io.tillstream.sqlclient.RemoteQuery";

  private static ClassLoader loader;

  /**
   * Runs {@code statement} on the server at {@code remote} (sc://HOST:PORT) with the token from {@link #TOKEN_ENV},
   * if set; {@code rows} gets the column names, then each row as text.
   */
  public static void run(String remote, Map<String, String> env, String statement, Consumer<String[]> rows) {
    Path home = JobSettings.home(env).resolve("sql-client");
    String url = withToken(remote, env.get(TOKEN_ENV));
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try {
      ClassLoader client = loader(home);
      Method run = client.loadClass(ENTRY).getMethod("run", String.class, String.class, Consumer.class);
      thread.setContextClassLoader(client); // gRPC finds its transports through the context class loader
      run.invoke(null, url, statement, rows);
    } catch (InvocationTargetException e) {
      throw new RemoteQueryFailed(remote, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the SQL client in " + home + " does not match this build", e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /**
   * sc://HOST:PORT with ;token=... added. Spark's client sends a token in the clear only to sc://localhost; to any
   * other host it speaks TLS, which serve leaves to a proxy in front of it.
   */
  static String withToken(String remote, String token) {
    if (!remote.startsWith("sc://")) {
      throw new ConfigError(ConfigKeys.SQL_REMOTE.name() + "=" + remote + ": not a Spark Connect address; use"
          + " sc://HOST:PORT, e.g. sc://127.0.0.1:15002");
    }
    if (token == null || token.isEmpty() || remote.contains(";token=")) {
      return remote;
    }
    return (remote.contains("/;") || remote.endsWith("/") ? remote : remote + "/") + ";token=" + token;
  }

  /** What went wrong on the server (or reaching it), with its message and without the token. */
  public static final class RemoteQueryFailed extends RuntimeException {
    RemoteQueryFailed(String remote, Throwable cause) {
      super("query on " + remote + " failed: " + cause.getMessage(), cause);
    }
  }

  private static synchronized ClassLoader loader(Path home) {
    if (loader == null) {
      Path classpath = home.resolve("target/classpath.txt");
      try (var jars = Files.newDirectoryStream(home.resolve("target"), "tillstream-sql-client-*.jar")) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
          urls.add(jar.toUri().toURL());
        }
        String entries = Files.readString(classpath, StandardCharsets.UTF_8).trim();
        for (String entry : entries.split(java.io.File.pathSeparator)) {
          urls.add(Paths.get(entry).toUri().toURL());
        }
        loader = new URLClassLoader("sql-client", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException("the SQL client is not built (" + classpath + "); run mvn -B -DskipTests"
            + " install in " + home.getParent(), e);
      }
    }
    return loader;
  }

  private SqlClient() {}
}
