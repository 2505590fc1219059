package io.q2chub.ops.console;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium driven through the chromedriver installed next to it. Nothing is downloaded: the driver path is
 * given explicitly so Selenium Manager is never asked, and the flags keep an offline Chromium from calling home.
 */
final class HeadlessChromium implements AutoCloseable {

    /** Debian's paths; -Dq2c.browser.chromium / -Dq2c.browser.chromedriver name others. */
    static final String CHROMIUM = System.getProperty("q2c.browser.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("q2c.browser.chromedriver", "/usr/bin/chromedriver");
    /** Set to "true" in CI (.ci/run): there a missing browser fails the test instead of skipping it. */
    static final String REQUIRE_BROWSER = "Q2C_REQUIRE_BROWSER";

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, ChromeDriverService service, Path profile) {
        this.driver = driver;
        this.service = service;
        this.profile = profile;
    }

    /**
     * Starts the browser, or skips the calling test with a printed reason when Chromium or its driver is missing -
     * unless Q2C_REQUIRE_BROWSER=true, which makes a missing browser a failure.
     */
    static HeadlessChromium startOrSkip() throws IOException {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!present) {
            String reason = "browser test skipped: " + CHROMIUM + " or " + CHROMEDRIVER
                    + " is missing (apt-get install chromium chromium-driver); set " + REQUIRE_BROWSER + "=true to make this a failure";
            if ("true".equalsIgnoreCase(System.getenv(REQUIRE_BROWSER))) {
                Assertions.fail(REQUIRE_BROWSER + "=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing");
            }
            System.out.println(reason);
            Assumptions.assumeTrue(false, reason);
        }
        Path profile = Files.createTempDirectory("q2c-console-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1440,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver, service, profile);
    }

    /** Saves the whole page as the browser shows it now under target/screenshots and answers the file. */
    Path screenshot(String name) throws IOException {
        Path dir = Path.of("target", "screenshots");
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        Dimension viewport = driver.manage().window().getSize();
        long pageHeight = ((Number) driver.executeScript("return document.documentElement.scrollHeight;")).longValue();
        // The window grows to the page for the picture, so the case's history is on it too, then returns to its size.
        driver.manage().window().setSize(new Dimension(viewport.getWidth(), (int) Math.max(viewport.getHeight(), pageHeight + 140)));
        try {
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            driver.manage().window().setSize(viewport);
        }
        System.out.println("console screenshot: " + target.toAbsolutePath());
        return target;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            service.stop();
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
