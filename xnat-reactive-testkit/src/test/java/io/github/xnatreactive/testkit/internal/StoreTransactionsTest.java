package io.github.xnatreactive.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store is read and changed only inside transactions; readers share, a writer excludes. */
class StoreTransactionsTest {
    @TempDir
    Path tmp;

    @Test
    void metadataOutsideATransactionIsRefused() {
        Store store = new Store("XNAT", tmp);
        store.addUser("admin", "admin");
        Store.User admin = store.users().get(0);
        assertThatThrownBy(store::projects).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.read(tx -> tx.createProject("P", admin)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("write transaction");
        Item p = store.write(tx -> tx.createProject("P", admin));
        Item read = store.read(tx -> tx.project("P"));
        assertThat(read).isSameAs(p);
    }

    @Test
    void readersShareAndAWriterWaitsForThem() throws Exception {
        Store store = new Store("XNAT", tmp);
        store.addUser("admin", "admin");
        Store.User admin = store.users().get(0);
        CountDownLatch bothReading = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Runnable reader = () -> store.read(tx -> {
            bothReading.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return tx.projects();
        });
        CompletableFuture<Void> r1 = CompletableFuture.runAsync(reader);
        CompletableFuture<Void> r2 = CompletableFuture.runAsync(reader);
        assertThat(bothReading.await(30, TimeUnit.SECONDS))
                .as("two readers at once")
                .isTrue();
        CompletableFuture<Item> writer =
                CompletableFuture.supplyAsync(() -> store.write(tx -> tx.createProject("Q", admin)));
        assertThat(writer).isNotDone();
        release.countDown();
        assertThat(writer.get(30, TimeUnit.SECONDS).id).isEqualTo("Q");
        r1.get(30, TimeUnit.SECONDS);
        r2.get(30, TimeUnit.SECONDS);
    }
}
