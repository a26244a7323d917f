// hello: prints "hello, world"; for catalogue_startup (a Go runtime starting
// up while file calls are faulted).
package main

import "fmt"

func main() {
	fmt.Println("hello, world")
}
