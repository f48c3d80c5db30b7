package io.freshcache.spring.boot.shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;

/** A Spring Boot application with a cached repository, run as two instances by the tests. */
@SpringBootApplication
@EnableCaching
public class ShopApplication {}
