package teagrad.web;

import org.openqa.selenium.chrome.ChromeDriver;

/** Headless Chromium behind a {@link RecordingProxy}, for bench/ (outside this package). */
public final class BrowserAccess {
    private BrowserAccess() {}

    public static final class Session implements AutoCloseable {
        private final RecordingProxy proxy;
        private final ChromeDriver driver;

        Session(RecordingProxy proxy, ChromeDriver driver) {
            this.proxy = proxy;
            this.driver = driver;
        }

        public ChromeDriver driver() { return driver; }

        /** Bytes of every response so far except those whose URL ends with {@code excluded}. */
        public long bytesBefore(String excluded) {
            return proxy.requests.stream().filter(r -> !r.url().endsWith(excluded)).mapToLong(RecordingProxy.Request::bytes).sum();
        }

        @Override
        public void close() {
            driver.quit();
            proxy.close();
        }
    }

    public static Session open(String origin) throws java.io.IOException {
        Browser.requireChromium();
        RecordingProxy proxy = new RecordingProxy(origin);
        return new Session(proxy, Browser.start(proxy.address()));
    }
}
